"""``yuanluo demo``: the whole job on the bundled real sample (a parish of Andorra, OpenStreetMap data)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer

from yuanluo.gis.catalogue import Lang, text
from yuanluo.gis.errors import OutputError, problem
from yuanluo.maps.style import (
    SAMPLE_CREDIT,  # the credit the demo records, which the pages say in their language
)
from yuanluo.planners import console as C
from yuanluo.planners.cli.delineate import print_result
from yuanluo.planners.cli.options import SEED_MAX, Common, expand


def _print_format() -> str | None:
    """``"png"`` when a Chinese font is there for the print map, else None (the reason is printed)."""
    from yuanluo.maps.static import cjk_font

    try:
        cjk_font()
        return "png"
    except OutputError as exc:
        C.err.print(exc.problems[0].message(C.lang()), markup=False)
        return None


@C.handle_errors
@expand
def demo(
    *,
    # the text as typed (a path would make "" the current folder "."), shown as a path in the help
    output_dir: Annotated[str | None, typer.Option("-o", "--output-dir", help="cli.opt.output_dir_demo",
                                                   metavar="cli.kind.path", show_default=False)] = None,
    preset: Annotated[str, typer.Option("--preset", help="cli.opt.preset")] = "banan",
    seed: Annotated[int, typer.Option("--seed", help="cli.opt.seed", min=0, max=SEED_MAX)] = 0,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="cli.opt.overwrite")] = False,
    common: Common,
) -> None:
    """Run the sample: ``demo.gpkg``, ``demo.html`` and (with a Chinese font) ``demo.png`` in the folder."""
    C.setup(common.lang, common.verbose, common.quiet)
    from yuanluo.gis.output import transaction
    from yuanluo.planners import workflows as W
    from yuanluo.planners.presets import resolve_rules

    if output_dir is not None and not output_dir.strip():  # -o "$OUT" with OUT unset: not the current folder
        raise OutputError(problem("OUT-FOLDER-EMPTY-OPTION", option="-o/--output-dir", example=DEMO_FOLDER))
    if output_dir is not None:  # a folder written the Windows way on Linux or macOS (-o D:\演示\): said as a folder
        from yuanluo.gis.output import windows_path_problem

        windows = windows_path_problem(Path(output_dir), folder=True, option="-o/--output-dir",
                                       empty_alt=DEMO_FOLDER)
        if windows is not None:
            raise OutputError(windows)
    paths = W.sample_paths()
    chosen = output_dir is None
    # never another run's files: the first of yuanluo-demo, yuanluo-demo-2 … free of them
    folder = demo_folder(Path.cwd()) if output_dir is None else Path(output_dir)
    gpkg, html, png = folder / "demo.gpkg", folder / "demo.html", folder / "demo.png"
    tx = transaction([gpkg, html, png], overwrite=overwrite, need_dirs=False)  # a folder to make: can it be?
    rules = resolve_rules(preset_name=preset)
    inputs = W.load_inputs(paths["households"], dem=paths["dem"], rivers=paths["rivers"], water=paths["water"],
                           roads=paths["roads"], boundary=paths["boundary"], progress=C.step)
    if not C.quiet():  # a note (the credit stays in the map and the run record): -q prints none
        C.err.print(C.msg("cli.demo.sample", n=C.num(len(inputs.households))), markup=False)
    result = W.delineate(inputs, rules, seed=seed, progress=C.step, lang=C.lang())
    run = W.run_record("demo", inputs, {"rules": rules.to_dict(), "data_credit": SAMPLE_CREDIT,
                                        "counts": result.summary}, seed, lang=C.lang())
    layers = {**result.layers, **W.context_layers(inputs)}
    want_png = _print_format()
    if want_png is None:
        C.note(C.msg("cli.demo.no_print", file=png.name), stream=C.err)  # not with -q
    C.step("step.maps")
    html_bytes, png_bytes = W.render_maps(layers, html=True, png_or_pdf=want_png, lang=C.lang(),
                                          terrain=inputs.terrain, credit=SAMPLE_CREDIT, osm=True,
                                          title=C.msg("cli.demo.title"), rules=rules, data_files=list(paths.values()))
    assert html_bytes is not None
    C.step("step.write")
    for _ in range(RACE_TRIES):
        try:
            _write(tx, folder, (gpkg, layers, run), ((html, html_bytes), (png, png_bytes)))
            break
        except OutputError as exc:
            # another run took the folder chosen for this one meanwhile: the next free one, as a later run would
            if not chosen or exc.codes != ["OUT-EXISTS"]:
                raise
            folder = demo_folder(Path.cwd())
            gpkg, html, png = folder / "demo.gpkg", folder / "demo.html", folder / "demo.png"
            tx = transaction([gpkg, html, png], overwrite=overwrite, need_dirs=False)
    unapplied = W.rule_columns(inputs, rules, settlements=False, done="apply", head="cli.unapplied.head_sample")
    print_result(result, rules, tx.written, unapplied=unapplied)  # demo has no --head-col: the sample's sentence
    C.note(next_steps(folder, preset, C.lang()))  # what a newcomer runs next (a note: not with -q)


def _arg(path: Path) -> str:
    """A path as typed on a command line: in double quotes where it holds a space (as cmd.exe and a shell read it)."""
    s = str(path)
    return f'"{s}"' if any(c.isspace() for c in s) else s


def next_steps(folder: Path, preset: str, lang: Lang) -> str:
    """The commands a newcomer runs after the demo: its map, ``check`` and ``edit`` of its result, then
    ``validate`` and ``delineate`` of their own household table, each a command that runs as printed.

    >>> print(next_steps(Path("yuanluo-demo"), "banan", "en"))  # doctest: +ELLIPSIS
    Next: open yuanluo-demo/demo.html in a browser ...; check the result: yuanluo check yuanluo-demo/demo.gpkg; ...
    >>> 'yuanluo edit "my runs/demo.gpkg" -o "my runs/院落编辑.html"' in next_steps(Path("my runs"), "banan", "zh")
    True
    """
    return text("cli.demo.next", lang, html=_arg(folder / "demo.html"), gpkg=_arg(folder / "demo.gpkg"),
                edit=_arg(folder / text("cli.demo.edit_file", lang)), preset=preset)


#: How many folders a demo run without -o tries when other runs keep taking the one it chose
RACE_TRIES = 20


DEMO_FILES = ("demo.gpkg", "demo.html", "demo.png")
#: the folder the demo writes to when none is given (:func:`demo_folder`)
DEMO_FOLDER = "yuanluo-demo"


def demo_folder(where: Path, name: str = DEMO_FOLDER) -> Path:
    """The folder the demo writes to when none is given: ``yuanluo-demo`` in ``where``, or, when that holds
    a demo file already (an earlier run's, or the user's own), the first of ``yuanluo-demo-2``, ``-3`` … that
    holds none, so that a second run never replaces the first one's files.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> demo_folder(d).name
    'yuanluo-demo'
    >>> (d / "yuanluo-demo").mkdir(); _ = (d / "yuanluo-demo" / "demo.html").write_text("x")
    >>> demo_folder(d).name
    'yuanluo-demo-2'
    """
    k = 1
    while True:
        folder = where / (name if k == 1 else f"{name}-{k}")
        if not any((folder / f).exists() or (folder / f).is_symlink() for f in DEMO_FILES):
            return Path(folder.name) if where == Path.cwd() else folder
        k += 1


def _write(tx: Any, folder: Path, layers: tuple[Path, Any, Any], pages: Any) -> None:
    """The demo's files in one transaction, in ``folder`` (created when missing, with the folders above it;
    those this run created are removed again when nothing could be written). A folder that cannot be made is
    OUT-WRITE with the system's error code."""
    from yuanluo.gis.output import write_bytes, write_layers
    from yuanluo.gis.transaction import write_error

    made: list[Path] = []
    try:
        missing = [f for f in (folder, *folder.parents) if not (f.exists() or f.is_symlink())]
        for f in reversed(missing):  # from the top down
            try:
                f.mkdir()
            except FileExistsError:
                continue  # made meanwhile by another run: not ours to remove
            except OSError as exc:
                raise write_error(exc, f) from exc
            made.append(f)
        with tx:
            write_layers(layers[0], layers[1], overwrite=tx.overwrite, run=layers[2], lang=C.lang())
            for path, data in pages:
                if data is not None:
                    write_bytes(path, data, overwrite=tx.overwrite)
    except BaseException:
        for f in reversed(made):  # the deepest first; a folder holding anything (another run's files) stays
            with contextlib.suppress(OSError):
                f.rmdir()
        raise
