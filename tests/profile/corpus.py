"""Clean news-like text written for these tests, and pairs garbled by our own recipes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from builder.noise.document import garble_document
from builder.noise.recipe import Recipe
from builder.noise.structure import garbled_text
from builder.text.segment import Segmenter

# fmt: off
SENTENCES = [
    "The city council voted on Tuesday to close two public libraries in the north of the town.",
    "Mayor Linda Ortiz said the decision was painful but necessary after a year of rising costs.",
    "Residents packed the hall, and several of them asked the council to wait until the spring.",
    "Officials in Brussels said the European Union would extend its sanctions for another six months.",
    "The measures target banks, energy companies and the defence industry of the country.",
    "Hungary had threatened to block the extension, but its foreign minister dropped the objection.",
    "Heavy snow closed schools across the north of Japan, and hundreds of flights were cancelled.",
    "The weather agency warned that the storm could bring more snow to the coast by Thursday.",
    "Shares of the carmaker fell sharply after it cut its sales forecast for the rest of the year.",
    "Analysts said that demand for electric cars had slowed in Europe and in China this winter.",
    "Police arrested three men in connection with the robbery, which took place in broad daylight.",
    "A spokesman for the force said the investigation was continuing and appealed for witnesses.",
    "The health agency said the number of measles cases had risen sharply over the past year.",
    "Its director urged governments to restore vaccination programmes that were cut during the crisis.",
    "Farmers in Kenya are turning to hardy crops as the rains become less reliable every season.",
    "The government has promised support, although many farmers say they have yet to see the money.",
    "The prime minister will travel to Washington next week for talks on trade and security.",
    "Her visit comes after months of tension over tariffs on steel, aluminium and farm goods.",
    "A new bridge over the river opened to traffic on Sunday, three years later than planned.",
    "Engineers said the delay was caused by floods that washed away part of the old crossing.",
    "The central bank kept interest rates unchanged, saying that inflation was still too high.",
    "Markets had expected the decision, and the currency barely moved after the announcement.",
    "Rescue teams searched through the night for survivors of the earthquake in the mountains.",
    "At least twelve people were killed and dozens more were injured when the buildings collapsed.",
    "The football club sacked its manager after a run of seven defeats in the last nine games.",
    "The board said it would name a replacement before the end of the month, the club said.",
    "Scientists have found a new species of frog in a remote forest in the south of the island.",
    "The tiny animal is smaller than a fingernail and lives among the leaves on the forest floor.",
    "Voters in the region will choose a new governor in an election that is expected to be close.",
    "Both candidates have promised to cut taxes and to build more homes for young families.",
]
# fmt: on

TEXT = " ".join(SENTENCES)


def documents(n: int = 6, size: int = 5) -> list[str]:
    """``n`` clean documents of ``size`` consecutive sentences each (wrapping around)."""
    return [" ".join(SENTENCES[(k * size + j) % len(SENTENCES)] for j in range(size)) for k in range(n)]


def garble(clean: str, recipe: Recipe, seed: int, doc_id: str) -> str:
    spans = [(s.start, s.end) for s in Segmenter().split(clean)]
    return garbled_text(garble_document(recipe, clean, spans, seed, doc_id))


def garbled_pairs(recipe: Recipe, seed: int = 0, texts: Sequence[str] = SENTENCES) -> list[tuple[str, str]]:
    """(clean, garbled) for every text, garbled by ``recipe``."""
    return [(t, garble(t, recipe, seed, f"t{k}")) for k, t in enumerate(texts)]


def write_jsonl(path: Path, pairs: Sequence[tuple[str, str]], garbled_field: str = "noisy") -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for k, (clean, garbled) in enumerate(pairs):
            fh.write(json.dumps({"id": f"p{k}", garbled_field: garbled, "clean": clean}) + "\n")
    return path
