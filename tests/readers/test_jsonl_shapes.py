"""A .json/.jsonl file is read in whatever shape it comes (JSON Lines, an array, pretty-
printed objects, any encoding), and a broken value costs only that value."""

import json

import pytest

from builder.pipeline.readers import make_reader
from tests.readers.support import articles, expected, good, read, rejects, source_cfg

ARTICLES = articles(4)


def test_a_json_array_on_one_line_is_a_list_of_records(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ARTICLES))
    docs = read("jsonl", tmp_path / "a.json")
    assert good(docs) == expected(ARTICLES) and not rejects(docs)


def test_a_pretty_printed_array_gives_each_element_its_own_line(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ARTICLES, indent=2))
    assert good(read("jsonl", tmp_path / "a.json")) == expected(ARTICLES)
    records = list(make_reader(source_cfg("jsonl", tmp_path / "a.json")).records())
    assert [r.where for r in records] == ["a.json:2", "a.json:6", "a.json:10", "a.json:14"]


def test_pretty_printed_objects_one_after_another(tmp_path):
    (tmp_path / "a.json").write_text("\n".join(json.dumps(a, indent=4) for a in ARTICLES) + "\n")
    assert good(read("jsonl", tmp_path / "a.json")) == expected(ARTICLES)
    (tmp_path / "one.json").write_text(json.dumps(ARTICLES[0], indent=2))
    assert good(read("jsonl", tmp_path / "one.json")) == expected(ARTICLES[:1])


def test_a_broken_element_of_a_pretty_array_is_one_reject_and_the_next_elements_are_read(tmp_path):
    lines = json.dumps(ARTICLES, indent=2).splitlines()
    assert lines[6] == '    "id": "a1",'
    lines[6] = '    "id" "a1",'
    (tmp_path / "a.json").write_text("\n".join(lines))
    docs = read("jsonl", tmp_path / "a.json")
    assert good(docs) == expected([ARTICLES[0], *ARTICLES[2:]])
    assert rejects(docs) == [
        ("invalid_json", "a.json:6: Expecting ':' delimiter at line 7 column 10; lines 6-9 skipped")
    ]


def test_a_broken_pretty_object_is_one_reject_not_one_per_inner_line(tmp_path):
    text = "\n".join(json.dumps(a, indent=2) for a in ARTICLES).replace('"text": "Article 1', '"text": Article 1')
    (tmp_path / "a.json").write_text(text)
    docs = read("jsonl", tmp_path / "a.json")
    assert good(docs) == expected([ARTICLES[0], *ARTICLES[2:]])
    [(reason, detail)] = rejects(docs)
    assert (
        reason == "invalid_json" and detail.startswith("a.json:5: Expecting value at line 7") and "lines 5-8" in detail
    )


def test_a_broken_jsonl_line_rejects_only_that_line(tmp_path):
    lines = [json.dumps(a) for a in ARTICLES]
    lines[1] = lines[1][:-1]  # the closing brace is missing: the value seems to go on
    lines.insert(3, "this is not json")
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES)[:1] + expected(ARTICLES)[2:]
    assert rejects(docs) == [
        ("invalid_json", "a.jsonl:2: Expecting ',' delimiter at line 3 column 1"),
        ("invalid_json", "a.jsonl:4: Expecting value at line 4 column 1"),
    ]


def test_a_file_that_ends_inside_a_value_keeps_what_came_before(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ARTICLES, indent=2)[:-40])
    docs = read("jsonl", tmp_path / "a.json")
    assert good(docs) == expected(ARTICLES[:3])
    [(reason, detail)] = rejects(docs)
    assert reason == "invalid_json" and detail.startswith("a.json:14: the file ends inside this JSON value")


@pytest.mark.parametrize("content", ["", "\n\n   \n", "[]", "[\n]\n"])
def test_empty_files_give_no_records(tmp_path, content):
    (tmp_path / "a.jsonl").write_text(content)
    assert read("jsonl", tmp_path / "a.jsonl") == []


def test_a_utf8_bom_does_not_cost_the_first_record(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(a) for a in ARTICLES).encode())
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES) and not rejects(docs)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_decoded(tmp_path, encoding):
    items = [*ARTICLES, {"id": "ü1", "text": "Der Bürgermeister sprach über die Brücke."}]
    data = "\n".join(json.dumps(a, ensure_ascii=False) for a in items).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "a.jsonl").write_bytes(data)
    assert good(read("jsonl", tmp_path / "a.jsonl")) == expected(items)


def test_source_encoding_reads_a_latin1_corpus(tmp_path):
    items = [{"id": "c1", "text": "Le café de la gare a fermé."}, {"id": "c2", "text": "Señor Muñoz habló."}]
    (tmp_path / "a.jsonl").write_bytes("\n".join(json.dumps(a, ensure_ascii=False) for a in items).encode("latin-1"))
    assert good(read("jsonl", tmp_path / "a.jsonl", encoding="latin-1")) == expected(items)
    as_utf8 = read("jsonl", tmp_path / "a.jsonl")
    assert [r for r, _ in rejects(as_utf8)] == ["bad_encoding", "bad_encoding"]
    assert rejects(as_utf8)[0][1] == (
        "a.jsonl:1: byte 0xe9 is not valid utf-8; if the corpus is in another encoding, set source.encoding=cp1252"
    )


def test_a_record_not_valid_in_the_configured_encoding_is_rejected_alone(tmp_path):
    lines = [json.dumps(ARTICLES[0]).encode(), b'{"id": "x", "text": "caf\x81"}', json.dumps(ARTICLES[1]).encode()]
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines))
    docs = read("jsonl", tmp_path / "a.jsonl", encoding="cp1252")
    assert good(docs) == expected(ARTICLES[:2])
    assert rejects(docs) == [
        (
            "bad_encoding",
            "a.jsonl:2: byte 0x81 is not valid cp1252; "
            "if the corpus is in another encoding, set source.encoding=latin-1",
        )
    ]


def test_a_lone_surrogate_is_a_bad_encoding_reject_naming_the_field(tmp_path):
    lines = [json.dumps(ARTICLES[0]), '{"id": "s", "text": "bad \\ud800 here"}', json.dumps(ARTICLES[1])]
    (tmp_path / "a.jsonl").write_text("\n".join(lines))
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES[:2])
    assert rejects(docs) == [
        (
            "bad_encoding",
            "a.jsonl:2: field 'text' holds a lone surrogate (U+D800 at character 4), "
            "which is not valid Unicode text and cannot be stored",
        )
    ]


def test_a_lone_surrogate_in_an_unmapped_field_is_kept_escaped_in_meta(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "m", "text": "Fine text.", "note": "x\\udc00y"}\n')
    [doc] = read("jsonl", tmp_path / "a.jsonl")
    assert not doc["reject"] and json.loads(doc["meta"]) == {"note": "x\udc00y"}
    doc["meta"].encode("utf-8")  # storable: strict UTF-8 encoding does not fail


def test_json_nested_100000_levels_deep_is_rejected_not_a_crash(tmp_path):
    deep = '{"id": "d", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "a.jsonl").write_text("\n".join([json.dumps(ARTICLES[0]), deep, json.dumps(ARTICLES[1])]))
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES[:2])
    assert rejects(docs) == [("invalid_json", "a.jsonl:2: nested too deeply to read")]


def test_an_integer_too_long_to_convert_is_invalid_json(tmp_path):
    lines = [json.dumps(ARTICLES[0]), '{"id": "n", "text": "t", "n": ' + "9" * 5000 + "}", json.dumps(ARTICLES[1])]
    (tmp_path / "a.jsonl").write_text("\n".join(lines))
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES[:2])
    assert [r for r, _ in rejects(docs)] == ["invalid_json"]


def test_a_value_past_the_size_bound_is_too_large_and_reading_goes_on(tmp_path):
    big = {"id": "big", "text": "x " * 2_000_000}  # 4M characters: well past 16 x 10 + 1 MiB
    (tmp_path / "a.json").write_text("\n".join(json.dumps(a, indent=2) for a in [ARTICLES[0], big, ARTICLES[1]]))
    docs = read("jsonl", tmp_path / "a.json", max_chars=10)
    assert good(docs) == []  # the small articles are longer than 10 characters too
    assert [r for r, _ in rejects(docs)] == ["too_large", "too_large", "too_large"]
    assert rejects(docs)[1][1].startswith("a.json:5: a JSON value longer than")


def test_lines_longer_than_a_read_chunk_are_read_whole(tmp_path, monkeypatch):
    import builder.pipeline.readers.jsonstream as jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK", 7)  # every line is longer than a chunk, cut mid-token
    items = [*ARTICLES, {"id": "n", "text": "A number ends the line.", "n": 1234567890123}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(a) for a in items) + "\n")
    (tmp_path / "b.json").write_text(json.dumps(items))
    for name in ("a.jsonl", "b.json"):
        docs = read("jsonl", tmp_path / name)
        assert good(docs) == expected(items) and not rejects(docs)
        assert json.loads(docs[4]["meta"]) == {"n": 1234567890123}


def test_values_that_are_not_objects_are_rejected_with_their_json_type(tmp_path):
    (tmp_path / "a.jsonl").write_text('[1, 2]\n"text"\nnull\n' + json.dumps(ARTICLES[0]) + "\n[3]\n")
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert good(docs) == expected(ARTICLES[:1])
    assert rejects(docs) == [
        ("not_an_object", "a.jsonl:1: a JSON number, not an object"),
        ("not_an_object", "a.jsonl:1: a JSON number, not an object"),
        ("not_an_object", "a.jsonl:2: a JSON string, not an object"),
        ("not_an_object", "a.jsonl:3: a JSON null, not an object"),
        ("not_an_object", "a.jsonl:5: a JSON array, not an object"),
    ]


def test_objects_separated_by_commas_without_brackets_are_read(tmp_path):
    (tmp_path / "a.json").write_text(",\n".join(json.dumps(a) for a in ARTICLES) + ",\n")
    docs = read("jsonl", tmp_path / "a.json")
    assert good(docs) == expected(ARTICLES) and not rejects(docs)


def test_json_lines_with_a_pretty_printed_object_in_between_keep_their_line_numbers(tmp_path):
    parts = [json.dumps(ARTICLES[0]), json.dumps(ARTICLES[1], indent=2), json.dumps(ARTICLES[2]), "{broken"]
    (tmp_path / "a.jsonl").write_text("\n".join(parts) + "\n\n" + json.dumps(ARTICLES[3]) + "\n")
    records = list(make_reader(source_cfg("jsonl", tmp_path / "a.jsonl")).records())
    assert [(r.where, r.error) for r in records] == [
        ("a.jsonl:1", ""),
        ("a.jsonl:2", ""),
        ("a.jsonl:6", ""),
        ("a.jsonl:7", "invalid_json"),
        ("a.jsonl:9", ""),
    ]
    assert [r.data["id"] for r in records if r.data] == ["a0", "a1", "a2", "a3"]
