"""The command line: `python -m generator COMMAND`. Only this module prints."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import parallel, pipeline, scaffold, schema
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
    p.add_argument("--port", type=int, help="the port to serve on, with --address's host (default: 8000)")
    p = command("new", "Start a new page: write a skeleton file with every field and a note on what goes there.", _new)
    p.add_argument("kind", choices=scaffold.NEW_KINDS, help="what to add: " + ", ".join(scaffold.NEW_KINDS))
    p.add_argument("id", type=_new_id, metavar="ID",
                   help="lower-case words joined by hyphens, e.g. night-leg-cramps; it becomes the file name and the web address")
    p.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content/)")
    p = command("schema", "Write the JSON Schema of each kind of content file, for completion in VS Code.", _schema)
    p.add_argument("--out", type=Path, default=schema.SCHEMA_DIR, help="folder to write into (default: generator/schema/)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema file is missing or out of date")
    p = command("guide", "Update the field reference in the editors' guide (content/README.md) from the content model.",
                _guide)
    p.add_argument("--guide", type=Path, default=Path("content/README.md"), help="the guide (default: content/README.md)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if the field reference is out of date")
    p = command("report", "Per page: reading level (SMOG), words, sources, review dates, and pages no other page links to.",
                _report)
    content_options(p)
    return parser


def _new_id(value: str) -> str:
    try:
        scaffold.check_id(value)
    except scaffold.ScaffoldError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _run(args: argparse.Namespace, render_pages: bool = True) -> pipeline.Result:
    result = pipeline.run(
        args.content.resolve(), today=args.today or dt.date.today(), overdue_is_error=not args.allow_overdue,
        shown_as=_shown(args.content), render_pages=render_pages, processes=parallel.cores(),
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
          f"{len(site.remedies)} remedies, {len(site.terms)} glossary terms, {len(site.sources)} sources, "
          f"{len(site.signs)} warning signs, {len(site.lookalikes)} lookalikes.")
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


def _build(args: argparse.Namespace) -> int:
    result = _run(args)
    if _failed(result):
        print("Nothing was built; the previous site/ is unchanged.", file=sys.stderr)
        return EXIT_CONTENT
    from . import mkdocs_plugin  # the engine is imported only by the commands that use it

    code = mkdocs_plugin.build(args.site_dir, content_dir=args.content.resolve(), today=args.today,
                               overdue_is_error=not args.allow_overdue, prepared=result)
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
    from . import mkdocs_plugin

    address = args.address if args.port is None else f"{args.address.rpartition(':')[0]}:{args.port}"
    try:
        return mkdocs_plugin.serve(address, content_dir=args.content.resolve(), today=args.today,
                                   overdue_is_error=not args.allow_overdue)
    except mkdocs_plugin.PortInUse as busy:
        print(busy, file=sys.stderr)
        return EXIT_CONTENT


def _new(args: argparse.Namespace) -> int:
    try:
        path = scaffold.create(args.content, args.kind, args.id)
    except scaffold.ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Wrote {path}. Fill in every empty field (the notes in the file say what goes where),\n"
          f"then run `make validate` to check it and `make serve` to see the page.")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = schema.stale_schemas(args.out)
        for path in stale:
            print(f"{path}: out of date with generator/model.py; run `python -m generator schema`", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    changed = schema.write_schemas(args.out)
    print(f"Wrote {len(schema.MODELS)} schemas to {_shown(args.out)} ({len(changed)} changed).")
    return EXIT_OK


def _guide(args: argparse.Namespace) -> int:
    guide: Path = args.guide
    try:
        text = guide.read_text(encoding="utf-8")
        updated = schema.guide_with_reference(text)
    except (OSError, ValueError) as exc:
        print(f"error: {guide}: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if args.check:
        if updated != text:
            print(f"{guide}: the field reference is out of date with generator/model.py; "
                  "run `python -m generator guide`", file=sys.stderr)
            return EXIT_CONTENT
        return EXIT_OK
    if updated != text:
        guide.write_text(updated, encoding="utf-8")
    print(f"{'Updated' if updated != text else 'Checked'} the field reference in {guide}.")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    try:
        from . import report  # needs textstat, which only this command uses
    except ImportError as exc:
        print(f"error: the report needs {exc.name}; run `make report`, which installs it", file=sys.stderr)
        return EXIT_CONTENT

    today = args.today or dt.date.today()
    result = pipeline.run(args.content.resolve(), today=today, overdue_is_error=False, shown_as=_shown(args.content))
    if _failed(result) or result.site is None or result.rendered is None:
        print(format_report(result.diagnostics), file=sys.stderr)
        return EXIT_CONTENT
    print(report.format_table(report.page_reports(result.site, result.rendered), today))
    return EXIT_OK
