import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

import pandas
import pyarrow

__version__: str
TABLES: List[str]

PathLike = Union[str, os.PathLike[str]]
Profiles = Union[None, PathLike, Sequence[PathLike]]
Report = Dict[str, Any]
Results = Union[Report, "FileResult", Iterable[Union[Report, "FileResult", str]]]

class GyokakuError(Exception):
    kind: str
    message: str
    file: Optional[str]
    page: Optional[int]
    line: Optional[int]
    def __init__(
        self,
        kind: str,
        message: str,
        file: Optional[str] = ...,
        page: Optional[int] = ...,
        line: Optional[int] = ...,
        text: Optional[str] = ...,
    ) -> None: ...

@dataclass(frozen=True)
class FileResult:
    path: str
    report: Optional[Report]
    error: Optional[GyokakuError]
    @property
    def ok(self) -> bool: ...

def parse(
    source: Union[PathLike, bytes, bytearray, memoryview],
    profile: Profiles = ...,
    layout: Optional[str] = ...,
    *,
    encoding: Optional[str] = ...,
    municipality: Optional[str] = ...,
    lexicon: Optional[PathLike] = ...,
    name: Optional[str] = ...,
    time_budget: Optional[float] = ...,
) -> Report: ...
def parse_many(
    paths: Union[PathLike, Iterable[PathLike]],
    jobs: Optional[int] = ...,
    profile: Profiles = ...,
    layout: Optional[str] = ...,
    *,
    encoding: Optional[str] = ...,
    municipality: Optional[str] = ...,
    lexicon: Optional[PathLike] = ...,
    time_budget: Optional[float] = ...,
    chunk: Optional[int] = ...,
) -> Iterator[FileResult]: ...
def report_files(paths: Iterable[PathLike]) -> Iterator[str]: ...
def columns(table: str) -> List[Dict[str, Optional[str]]]: ...
def frame(results: Results, table: str) -> pandas.DataFrame: ...
def arrow_table(results: Results, table: str) -> pyarrow.Table: ...
def items_frame(results: Results) -> pandas.DataFrame: ...
def progress_frame(results: Results) -> pandas.DataFrame: ...
def targets_frame(results: Results) -> pandas.DataFrame: ...
def findings_frame(results: Results) -> pandas.DataFrame: ...
def schedule_frame(results: Results) -> pandas.DataFrame: ...
def fields_frame(results: Results) -> pandas.DataFrame: ...
