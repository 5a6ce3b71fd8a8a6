"""pyld expands the W3C export against the official Web Annotation context (vendored)."""

from __future__ import annotations

import json

import pytest

from tests.interop.conftest import FIXTURES, export

jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is needed (pip install -e '.[interop]')")

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def offline_loader(url, options=None):
    if url.rstrip("/") not in (CONTEXT_URL, CONTEXT_URL.replace("http:", "https:")):
        raise AssertionError(f"the export asked for a context other than the Web Annotation one: {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": CONTEXT_URL,
            "document": json.loads((FIXTURES / "anno.jsonld").read_text(encoding="utf-8"))}


def test_every_annotation_expands_and_becomes_rdf_with_its_source(test_set, tmp_path) -> None:
    path = tmp_path / "w3c.jsonl"
    export(test_set, "w3c", path)
    options = {"documentLoader": offline_loader}
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(test_set.records)
    by_id = {r["id"]: r for r in test_set.records}
    for item in lines:
        (node,) = jsonld.expand(item, options)
        assert node["@type"] == [OA + "Annotation"]
        (target,) = node[OA + "hasTarget"]
        (source,) = target[OA + "hasSource"]
        selectors = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
        position = selectors[OA + "TextPositionSelector"]
        start = position[OA + "start"][0]
        end = position[OA + "end"][0]
        assert start["@type"] == end["@type"] == XSD + "nonNegativeInteger"
        record = by_id[item["id"].rsplit(":", 1)[-1]]
        article = test_set.articles[record["article_id"]]
        assert article.text[int(start["@value"]):int(end["@value"])] == record["quote"]
        exact = selectors[OA + "TextQuoteSelector"][OA + "exact"][0]["@value"]
        assert exact == record["quote"]
        quads = jsonld.to_rdf(item, {**options, "format": "application/n-quads"})
        # JSON-LD to RDF drops a triple whose object is not an IRI: the source must survive.
        has_source = [q for q in quads.splitlines() if f"<{OA}hasSource>" in q]
        assert len(has_source) == 1, item["target"]["source"]
        assert has_source[0].endswith(f"<{OA}hasSource> <{source['@id']}> .")
    spaced = [i for i in lines if "tokyo" in i["target"]["source"]]
    assert spaced and all(i["target"]["source"] == "urn:redline:article:world%20news/tokyo%20office"
                          for i in spaced)
