"""The native module (Rust, PyO3). Use the functions of ``gyokaku`` instead."""

from typing import Dict, List, Optional, Tuple

__version__: str
REPORT_EXTENSIONS: List[str]

ErrorTuple = Tuple[str, str, Optional[str], Optional[int], Optional[int], str]
Outcome = Tuple[Optional[str], Optional[ErrorTuple]]

class Parser:
    def parse_path(self, path: str) -> Outcome: ...
    def parse_bytes(self, data: bytes, name: str) -> Outcome: ...
    def parse_paths(self, paths: List[str], jobs: int) -> List[Outcome]: ...

def new_parser(
    profiles: List[str],
    layout: Optional[str] = None,
    encoding: Optional[str] = None,
    municipality: Optional[str] = None,
    lexicon: Optional[str] = None,
    time_budget: Optional[float] = None,
) -> Tuple[Optional[Parser], Optional[ErrorTuple]]: ...
def table_columns(docs: List[str], table: int) -> Dict[str, list]: ...
def tables() -> List[Tuple[str, str, List[Tuple[str, str, Optional[str], str]]]]: ...
