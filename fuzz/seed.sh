#!/usr/bin/env bash
# Seed the fuzz corpora from the project's fixtures (run from anywhere; corpora are not committed).
#   pdf_ingest:  every PDF under fixtures/ (well-formed and malformed)
#   text_ingest: every text under fixtures/ (all encodings, malformed ones too)
#   parse:       both
# Files are named by their SHA-1, as libFuzzer names corpus entries.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/pdf_ingest corpus/text_ingest corpus/parse
add() { # add TARGET FILE
  local h
  h=$(sha1sum "$2" | cut -d' ' -f1)
  cp "$2" "corpus/$1/$h"
}
while IFS= read -r -d '' f; do
  case "$f" in
    *.pdf) add pdf_ingest "$f"; add parse "$f" ;;
    *.json | *.md | *.toml) ;;
    *) add text_ingest "$f"; add parse "$f" ;;
  esac
done < <(find ../fixtures -type f -print0)
for t in pdf_ingest text_ingest parse; do
  echo "$t: $(find corpus/$t -type f | wc -l) seeds"
done
