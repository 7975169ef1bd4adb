"""What keeps a no-op night cheap and lets extractors travel to Dask workers."""

from __future__ import annotations

import pickle

from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.http import HttpClient
from extractors.registry import build_extractors


def test_parlparse_reads_members_data_on_first_parse_not_at_discovery(sample_archive):
    archive = RawArchive(sample_archive)
    client = HttpClient.replay(archive)
    hansard = build_extractors(["hansard"])["hansard"]
    refs = hansard.discover(client, None)
    assert refs and hansard.members_data.members is None  # discovery alone never reads them
    outcome = next(o for o in (acquire(hansard, client, r) for r in refs[:20]) if o.state == "parsed")
    assert hansard.members_data.members is not None
    assert any(p.party for p in outcome.document.passages)  # parties came from the members data
    client.close()
    archive.close()


def test_every_extractor_pickles_after_discovery_and_parses_the_same(sample_archive):
    archive = RawArchive(sample_archive)
    client = HttpClient.replay(archive)
    for source, extractor in build_extractors(["hansard", "govuk", "ministers_reflect", "library"]).items():
        refs = [r for r in extractor.discover(client, None) if not r.skip_reason][:3]
        getattr(extractor, "members", None)
        copy = pickle.loads(pickle.dumps(extractor))
        for ref in refs:
            here, there = acquire(extractor, client, ref), acquire(copy, client, ref)
            assert here.state == there.state, source
            if here.document is not None:
                assert here.document.model_dump() == there.document.model_dump(), source
    client.close()
    archive.close()
