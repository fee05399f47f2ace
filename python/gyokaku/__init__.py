"""gyokaku: Japanese municipal reform progress reports (行財政改革) into structured data.

    >>> import gyokaku
    >>> report = gyokaku.parse("report.pdf")            # the gyokaku/report/v2 document as a dict
    >>> for r in gyokaku.parse_many(["a.pdf", "b.txt"]):   # per-file results, errors as values
    ...     print(r.path, r.error or len(r.report["items"]))
    >>> items = gyokaku.items_frame(results)            # pandas DataFrame, the columns of items.csv

Parsing runs in Rust with the GIL released; ``parse_many`` parses on several threads.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from . import _gyokaku

__version__: str = _gyokaku.__version__

__all__ = [
    "GyokakuError",
    "FileResult",
    "parse",
    "parse_many",
    "report_files",
    "TABLES",
    "columns",
    "frame",
    "arrow_table",
    "items_frame",
    "progress_frame",
    "targets_frame",
    "findings_frame",
    "schedule_frame",
    "fields_frame",
]

PathLike = Union[str, "os.PathLike[str]"]


class GyokakuError(Exception):
    """A report could not be read. ``kind`` is the error kind of the command-line tool
    (``not-a-report``, ``pdf``, ``encoding``, ``io``, ``limit``, ``profile``, ``unreadable``, …);
    ``file``, ``page`` and ``line`` say where, when known; ``message`` says what."""

    def __init__(self, kind: str, message: str, file: Optional[str] = None, page: Optional[int] = None,
                 line: Optional[int] = None, text: Optional[str] = None) -> None:
        super().__init__(text or f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.file = file
        self.page = page
        self.line = line

    def __reduce__(self):  # picklable, so errors cross process boundaries (Dask, multiprocessing)
        return (GyokakuError, (self.kind, self.message, self.file, self.page, self.line, str(self)))


@dataclass(frozen=True)
class FileResult:
    """One input of :func:`parse_many`: its report, or the error that stopped it."""

    path: str
    report: Optional[Dict[str, Any]]
    error: Optional[GyokakuError]

    @property
    def ok(self) -> bool:
        return self.error is None


def _parser(profile, layout, encoding, municipality, lexicon, time_budget):
    if profile is None:
        profiles: List[str] = []
    elif isinstance(profile, (str, os.PathLike)):
        profiles = [os.fspath(profile)]
    else:
        profiles = [os.fspath(p) for p in profile]
    parser, err = _gyokaku.new_parser(profiles, layout, encoding, municipality,
                                      os.fspath(lexicon) if lexicon is not None else None, time_budget)
    if err is not None:
        raise GyokakuError(*err)
    return parser


def parse(source: Union[PathLike, bytes, bytearray, memoryview], profile=None, layout: Optional[str] = None, *,
          encoding: Optional[str] = None, municipality: Optional[str] = None, lexicon: Optional[PathLike] = None,
          name: Optional[str] = None, time_budget: Optional[float] = None) -> Dict[str, Any]:
    """Parse one report (a path, or the file's bytes) into the ``gyokaku/report/v2`` document.

    ``profile``: a profile file or a list of them (``--profile``); ``layout``: force a layout
    (``card``, ``table``, ``inferred`` or a profile id); ``encoding``, ``municipality``,
    ``lexicon``: as on the command line; ``name``: the ``source.path`` recorded for bytes (its
    extension tells ``.csv``/``.tsv``); ``time_budget``: seconds per file (0 = none, default 60).
    Raises :class:`GyokakuError`.
    """
    parser = _parser(profile, layout, encoding, municipality, lexicon, time_budget)
    if isinstance(source, (bytes, bytearray, memoryview)):
        doc, err = parser.parse_bytes(bytes(source), name or "-")
    else:
        doc, err = parser.parse_path(os.fspath(source))
    if err is not None:
        raise GyokakuError(*err)
    return json.loads(doc)


def report_files(paths: Iterable[PathLike]) -> Iterator[str]:
    """Files as given; folders walked (in sorted order) for the extensions a batch run reads
    (``.pdf .txt .xlsx .docx .html .csv`` …)."""
    exts = tuple("." + e for e in _gyokaku.REPORT_EXTENSIONS)
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.lower().endswith(exts):
                        yield os.path.join(root, f)
        else:
            yield p


def parse_many(paths: Union[PathLike, Iterable[PathLike]], jobs: Optional[int] = None, profile=None,
               layout: Optional[str] = None, *, encoding: Optional[str] = None,
               municipality: Optional[str] = None, lexicon: Optional[PathLike] = None,
               time_budget: Optional[float] = None, chunk: Optional[int] = None) -> Iterator[FileResult]:
    """Parse many files on ``jobs`` threads (default: all cores), yielding one
    :class:`FileResult` per file in the order given. A file that fails is a result with an
    ``error``; the iteration itself never raises for one bad file. Folders are walked for the
    extensions the command-line batch reads. Results are yielded ``chunk`` files at a time
    (default ``16 × jobs``)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    parser = _parser(profile, layout, encoding, municipality, lexicon, time_budget)
    jobs = max(1, jobs or os.cpu_count() or 1)
    chunk = max(1, chunk or 16 * jobs)
    batch: List[str] = []

    def run(batch: List[str]) -> Iterator[FileResult]:
        for path, (doc, err) in zip(batch, parser.parse_paths(batch, jobs)):
            if err is not None:
                yield FileResult(path, None, GyokakuError(*err))
            else:
                yield FileResult(path, json.loads(doc), None)

    for p in report_files(paths):
        batch.append(p)
        if len(batch) >= chunk:
            yield from run(batch)
            batch = []
    if batch:
        yield from run(batch)


TABLES: List[str] = [t[0] for t in _gyokaku.tables()]
_DEFS = {name: (i, cols) for i, (name, _row, cols) in enumerate(_gyokaku.tables())}


def columns(table: str) -> List[Dict[str, Optional[str]]]:
    """The columns of a table: ``name``, ``type`` (``string``, ``integer``, ``number``,
    ``boolean``), ``unit`` (the column holding the unit) and ``description``."""
    _, cols = _table(table)
    return [{"name": n, "type": t, "unit": u, "description": d} for n, t, u, d in cols]


def _table(table: str):
    try:
        return _DEFS[table]
    except KeyError:
        raise ValueError(f"no table {table!r} (tables: {', '.join(TABLES)})") from None


def _documents(results) -> List[str]:
    if isinstance(results, (dict, FileResult)):
        results = [results]
    docs = []
    for r in results:
        if isinstance(r, FileResult):
            if r.report is None:
                continue
            r = r.report
        docs.append(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
    return docs


def _columns(results, table: str) -> Dict[str, list]:
    index, _ = _table(table)
    return _gyokaku.table_columns(_documents(results), index)


_PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def frame(results, table: str):
    """A pandas DataFrame of one table (``items``, ``progress``, ``targets``, ``findings``,
    ``schedule``, ``fields``) over reports (dicts from :func:`parse`) or :class:`FileResult` s
    (failed ones are left out): the rows and columns of the CSV table of the same name, typed
    (nullable ``string``, ``Int64``, ``Float64`` and ``boolean`` columns)."""
    import pandas as pd

    cols = _columns(results, table)
    types = {c["name"]: c["type"] for c in columns(table)}
    return pd.DataFrame({n: pd.array(v, dtype=_PANDAS_DTYPES[types[n]]) for n, v in cols.items()})


_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_"}


def arrow_table(results, table: str):
    """As :func:`frame`, as a ``pyarrow.Table`` (the schema of the Parquet output)."""
    import pyarrow as pa

    cols = _columns(results, table)
    types = {c["name"]: c["type"] for c in columns(table)}
    schema = pa.schema([(n, getattr(pa, _ARROW_TYPES[types[n]])()) for n in cols])
    return pa.table(cols, schema=schema)


def items_frame(results):
    """The ``items`` table (one row per item) as a DataFrame; see :func:`frame`."""
    return frame(results, "items")


def progress_frame(results):
    """The ``progress`` table (one row per progress block) as a DataFrame."""
    return frame(results, "progress")


def targets_frame(results):
    """The ``targets`` table (one row per target value) as a DataFrame."""
    return frame(results, "targets")


def findings_frame(results):
    """The ``findings`` table (one row per item-level finding) as a DataFrame."""
    return frame(results, "findings")


def schedule_frame(results):
    """The ``schedule`` table (one row per schedule column) as a DataFrame."""
    return frame(results, "schedule")


def fields_frame(results):
    """The ``fields`` table (one row per labelled field) as a DataFrame."""
    return frame(results, "fields")
