"""The command line: `python -m generator COMMAND`. Only this module prints."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import mkdocs_engine, pipeline
from .diagnostics import Severity, format_report

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Check, render, build and preview the Cramp Help site from the YAML in content/.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help: str, run) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run, command=name)
        return p

    def content_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content/)")
        p.add_argument("--allow-overdue", action="store_true",
                       help="report pages whose review date has passed as warnings, not errors (for local work)")
        p.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                       help="check review dates as of this day instead of today (for tests)")

    p = command("validate", "Check all content and print every problem; exit 1 if there is an error.", _validate)
    content_options(p)
    p = command("render", "Write the generated Markdown pages to a folder.", _render)
    content_options(p)
    p.add_argument("--out", type=Path, required=True, help="folder to write the Markdown tree into (replaced)")
    p = command("build", "Check the content and build the site into site/ (only replaced when the build passes).", _build)
    content_options(p)
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site/)")
    p = command("serve", "Live preview on http://127.0.0.1:8000/; saving a file updates the page.", _serve)
    content_options(p)
    p.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on (default: 127.0.0.1:8000)")
    return parser


def _run(args: argparse.Namespace, render_pages: bool = True) -> pipeline.Result:
    result = pipeline.run(
        args.content.resolve(), today=args.today or dt.date.today(), overdue_is_error=not args.allow_overdue,
        shown_as=_shown(args.content), render_pages=render_pages,
    )
    if result.diagnostics:
        print(format_report(result.diagnostics), file=sys.stderr)
    return result


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _failed(result: pipeline.Result) -> bool:
    return any(d.severity is Severity.ERROR for d in result.diagnostics)


def _validate(args: argparse.Namespace) -> int:
    result = _run(args, render_pages=False)
    if _failed(result):
        return EXIT_CONTENT
    site = result.site
    assert site is not None
    print(f"Content is valid: {len(site.conditions)} conditions, {len(site.causes)} causes, "
          f"{len(site.remedies)} remedies, {len(site.terms)} glossary terms, {len(site.sources)} sources.")
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    result = _run(args)
    if _failed(result) or result.rendered is None:
        return EXIT_CONTENT
    out: Path = args.out
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for path, text in result.rendered.pages.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"Wrote {len(result.rendered.pages)} pages to {out}.")
    return EXIT_OK


def _engine_env(args: argparse.Namespace) -> dict[str, str]:
    env = {mkdocs_engine.CONTENT_DIR_ENV: str(args.content.resolve())}
    if args.allow_overdue:
        env[mkdocs_engine.ALLOW_OVERDUE_ENV] = "1"
    if args.today:
        env[mkdocs_engine.TODAY_ENV] = args.today.isoformat()
    return env


def _build(args: argparse.Namespace) -> int:
    result = _run(args, render_pages=False)
    if _failed(result):
        print("Nothing was built; the previous site/ is unchanged.", file=sys.stderr)
        return EXIT_CONTENT
    code = mkdocs_engine.build(args.site_dir, env=_engine_env(args))
    if code != 0:
        print("The site build failed; the previous site/ is unchanged.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Built the site in {args.site_dir}.")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    result = _run(args, render_pages=False)
    if _failed(result):
        print("Fix the errors above, then run serve again.", file=sys.stderr)
        return EXIT_CONTENT
    return mkdocs_engine.serve(args.address, env=_engine_env(args))
