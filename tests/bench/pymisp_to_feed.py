#!/usr/bin/python3
"""The PyMISP side of the export figures: every event of a feed folder through MISPEvent.to_feed, as PyMISP's
feed generator writes it (the event file with json.dump(indent=2), its manifest entry, its hashes.csv lines).

Usage: pymisp_to_feed.py FEED_DIR OUT_DIR PYMISP_CHECK_DIR
PYMISP_CHECK_DIR is ../shared/tools/pymisp-check (PyMISP from source, no install). Prints one JSON line:
events, attributes, seconds (to_feed and writing only: PyMISP's generator gets its events from a MISP server,
so loading them is not its export work) and load_seconds (MISPEvent.load_file of the same files, for the record).
"""
import json
import sys
import time
from pathlib import Path

src, out, check = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, check)
import _pymisp_path  # noqa: E402

_pymisp_path.setup()
from pymisp import MISPEvent  # noqa: E402

out.mkdir(parents=True, exist_ok=True)
uuids = list(json.loads((src / 'manifest.json').read_text()))
export_seconds = 0.0
load_seconds = 0.0
attributes = 0
manifest = {}
with (out / 'hashes.csv').open('w') as hashes:
    for uuid in uuids:
        started = time.perf_counter()
        event = MISPEvent()
        event.load_file(str(src / f'{uuid}.json'))
        loaded = time.perf_counter()
        load_seconds += loaded - started
        feed = event.to_feed(with_meta=True)
        for md5 in feed['Event'].pop('_hashes'):
            hashes.write(f'{md5},{event.uuid}\n')
        manifest.update(feed['Event'].pop('_manifest'))
        with (out / f'{uuid}.json').open('w') as f:
            json.dump(feed, f, indent=2)
        export_seconds += time.perf_counter() - loaded
        attributes += len(event.attributes) + sum(len(o.attributes) for o in event.objects)
    started = time.perf_counter()
    with (out / 'manifest.json').open('w') as f:
        json.dump(manifest, f)
    export_seconds += time.perf_counter() - started
print(json.dumps({'events': len(uuids), 'attributes': attributes, 'seconds': export_seconds, 'load_seconds': load_seconds}))
