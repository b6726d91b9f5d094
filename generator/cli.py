"""The command line: `python -m generator COMMAND`. Only this module prints."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import pipeline, references, scaffold, schema
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
    which = p.add_mutually_exclusive_group()
    which.add_argument("--due", type=_days, metavar="DAYS",
                       help="instead, list the pages due for review within DAYS days, overdue ones first")
    which.add_argument("--changed", action="store_true",
                       help="instead, list the pages that differ from the last commit's, with their preview addresses")
    p = command("used-by", "List every place (file:line:column and field) where an id is used, in every kind of file.",
                _used_by)
    p.add_argument("id", metavar="ID", help="the id to look for, e.g. dehydration")
    p.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content/)")
    p = command("rename", "Rename a page: its file, its id and every reference to it; or change nothing and say why.",
                _rename)
    p.add_argument("kind", type=_kind, metavar="KIND", help="what it is: " + ", ".join(scaffold.NEW_KINDS))
    p.add_argument("old", metavar="OLD", help="its id now, e.g. foot-cramps")
    p.add_argument("new", metavar="NEW", help="its new id: lower-case words joined by hyphens, e.g. cramps-in-the-foot")
    p.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content/)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="check review dates as of this day (for tests; an overdue review never stops a rename)")
    return parser


def _new_id(value: str) -> str:
    try:
        scaffold.check_id(value)
    except scaffold.ScaffoldError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _days(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days; write it in digits, e.g. 90")
    return int(value)


def _kind(value: str) -> str:
    """A kind as `new` names it ('condition'); its folder's name ('conditions') is accepted too."""
    kind = references.SINGULAR.get(value, value)
    if kind not in scaffold.NEW_KINDS:
        raise argparse.ArgumentTypeError(f"unknown kind '{value}'; use one of: {', '.join(scaffold.NEW_KINDS)}")
    return kind


def _run(args: argparse.Namespace, render_pages: bool = True, reading_level: bool = True) -> pipeline.Result:
    result = pipeline.run(
        args.content.resolve(), today=args.today or dt.date.today(), overdue_is_error=not args.allow_overdue,
        shown_as=_shown(args.content), render_pages=render_pages, reading_level=reading_level,
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
    result = _run(args, reading_level=False)
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
    result = _run(args, reading_level=False)
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
          f"then run `make validate` to check it and `make serve` to see {_new_page_address(args.kind, args.id)}.")
    return EXIT_OK


def _new_page_address(kind: str, entry_id: str) -> str:
    from .addresses import entry_page, page_url

    folder = schema.FOLDER_OF[kind]
    page = entry_page(folder, entry_id)
    if folder == "signs":
        return f"it on every page it applies to, and on {page_url('get-help.md')}"
    if page is None:
        return "it in the sources list of each page that cites it"
    return f"the page at {page_url(page)}"


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
    if args.due is not None:
        return _report_due(args)
    if args.changed:
        return _report_changed(args)
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


def _report_due(args: argparse.Namespace) -> int:
    from . import reviews

    today = args.today or dt.date.today()
    result = _run_quietly(args, today, render_pages=False)
    if result.site is None:
        return EXIT_CONTENT
    print(reviews.format_due(reviews.due_reviews(result.site, today, args.due), result.site, today, args.due))
    return EXIT_OK


def _report_changed(args: argparse.Namespace) -> int:
    from . import changes

    today = args.today or dt.date.today()
    result = _run_quietly(args, today, render_pages=True)
    if result.rendered is None:
        return EXIT_CONTENT
    try:
        found = changes.changed_pages(args.content.resolve(), result.rendered, today=today,
                                      shown_as=_shown(args.content))
    except changes.CannotCompare as exc:
        print(f"Cannot list the changed pages: {exc}.", file=sys.stderr)
        return EXIT_CONTENT
    print(changes.format_changes(found))
    return EXIT_OK


def _run_quietly(args: argparse.Namespace, today: dt.date, *, render_pages: bool) -> pipeline.Result:
    """Run the generator for a report: overdue reviews are no error; errors are printed and leave no site."""
    result = pipeline.run(args.content.resolve(), today=today, overdue_is_error=False, shown_as=_shown(args.content),
                          render_pages=render_pages)
    if _failed(result):
        print(format_report(result.diagnostics), file=sys.stderr)
        print("Fix the errors above (see `make validate`), then run the report again.", file=sys.stderr)
        return pipeline.Result(result.diagnostics)
    return result


def _used_by(args: argparse.Namespace) -> int:
    from .load import load_content

    loaded = load_content(args.content.resolve(), shown_as=_shown(args.content))
    unreadable = sorted({d.file for d in loaded.diagnostics if d.severity is Severity.ERROR})
    if unreadable:
        print(f"Not searched, as they cannot be read (`make validate` says why): {', '.join(unreadable)}",
              file=sys.stderr)
    found = references.used_by(loaded, args.id)
    if not found.defined_in and not found.uses:
        print(f"No content file has the id '{args.id}'{found.suggestion}, and no file refers to it.", file=sys.stderr)
        return EXIT_CONTENT
    for kind, path in found.defined_in:
        print(f"'{args.id}' is a {references.SINGULAR[kind]}: {path}")
    if not found.defined_in:
        print(f"No content file has the id '{args.id}', but these places refer to it; "
              "change or delete each reference (`make validate` lists them too):")
    for use in found.uses:
        print(f"{use}  (a {references.SINGULAR[use.kind]})")
    if found.defined_in:
        count = "1 place" if len(found.uses) == 1 else f"{len(found.uses)} places"
        print(f"Used in {count}." if found.uses else "No file refers to it.")
    return EXIT_OK


def _rename(args: argparse.Namespace) -> int:
    from . import addresses, rename

    try:
        done = rename.rename(args.content.resolve(), args.kind, args.old, args.new, shown_as=_shown(args.content),
                             today=args.today or dt.date.today())
    except rename.RenameError as exc:
        if exc.diagnostics:
            print(format_report(exc.diagnostics), file=sys.stderr)
        print(f"Nothing was renamed: {exc}.", file=sys.stderr)
        return EXIT_CONTENT
    files = done.files
    where = f" and changed {len(done.references)} reference{'s' if len(done.references) != 1 else ''}" \
            f" in {len(files)} file{'s' if len(files) != 1 else ''}" if done.references else ""
    print(f"Renamed {done.old_file} to {done.new_file}, set its id to {args.new}{where}:")
    for use in done.references:
        print(f"  {use}")
    if done.old_page and done.new_page and done.old_page != done.new_page:
        print(f"Its page is now {addresses.page_url(done.new_page)} (it was {addresses.page_url(done.old_page)}); "
              "links to the old address from outside this site will stop working.")
    print("The content is still valid.")
    return EXIT_OK
