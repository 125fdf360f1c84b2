"""The news text the tests share: ``NEWS``, short hand-written news texts (names, titles,
quotes, numbers, abbreviations, idioms), and ``ARTICLES``, realistic short articles, with a
way to garble them with the project's recipes."""

from __future__ import annotations

from builder.noise import load_recipe
from builder.text.segment import Segmenter

#: Hand-written news sentences (names, titles, quotes, numbers, abbreviations).
NEWS = [
    "KYIV (Reuters) - President Volodymyr Zelenskyy met U.S. envoy Steve Witkoff in Kyiv on "
    "Tuesday, two officials said. “We talked about a 30-day ceasefire,” Zelenskyy told "
    "reporters. The Kremlin did not comment.",
    "Russian troops advanced near Sudzha, in the Kursk region, according to Gen. Valery "
    "Gerasimov. Ukraine's army said it had pulled back from 12 villages since March 1.",
    "Sen. Mark Warner and Rep. Nancy Mace asked the Pentagon for a briefing. The request, "
    "sent on Friday, names Pete Hegseth and NATO's Mark Rutte.",
    "Mélanie Joly, Canada's foreign minister, said Ottawa would not back down. Shares of "
    "Apple and iPhone supplier Foxconn fell 2.5% in Taipei; the Nasdaq closed flat.",
    "The drone view shows a flag on a water tower in the heart of Sudzha.\n"
    "Photo: Social Media/via Reuters\n"
    "Ukraine and the US agreed to the possibility of a ceasefire, and American officials "
    "flew to Moscow to put the proposal to Vladimir Putin.",
    # round-trip-translation material: idioms, calques, quotes, dashes, lists, U.S.
    "WASHINGTON — Secretary of State Marco Rubio said the ball is in their court, adding that the "
    'U.S. "does not want to get ahead of itself" on a ceasefire. Kremlin spokesman Dmitry Peskov '
    "said on Wednesday that officials were studying the joint statement.",
    "Ukrainian units held off Russian counteroffensives and counter-attacks for months, but the "
    'Kremlin stayed noncommittal. "We need to restore the previous situation along the state '
    'border," the president said, "and we will take into account every proposal."',
    "Police, prosecutors, and judges took part in the talks – which took place behind closed doors "
    "at U.N. headquarters – and the court's ruling is expected in the near future. Officials say the "
    "bill has passed, the market rose and shares fell in the U.S.",
    "The minister's spokesman told reporters that the deal was on the table. The troops were "
    "ordered to press on, and the army has retaken key ground in the region. It's unclear whether "
    "the ceasefire will hold; he said, “the red line was crossed.”",
    # restructuring material: possessives, of-phrases, reporting clauses, time adverbials,
    # connectives, place spellings and a pronoun with its name before it
    "Kremlin spokesman Dmitry Peskov said that officials were studying the joint statement. He added "
    "that Russia's battlefield success would not change its position. Talks will resume in Kyiv next "
    "week, the minister said. Leaders met at the summit on Thursday. The president of Ukraine spoke "
    "to reporters amid a row over tariffs with the U.S.",
]

ARTICLES = {
    "flood": (
        "Heavy rain flooded dozens of roads across southern Queensland on Tuesday, and emergency crews rescued "
        "more than forty drivers from cars caught in rising water.\n"
        "The Bureau of Meteorology said some towns near Toowoomba received 180 millimetres in twelve hours, "
        "the most in a single day since records began in 1931.\n"
        'Police closed the Warrego Highway west of Gatton after a bridge was damaged. "Do not drive into '
        'floodwater, it is never worth the risk," Superintendent Rachel Hennessy told reporters.\n'
        "Schools in three districts will stay shut on Wednesday while engineers inspect buildings and roads."
    ),
    "rates": (
        "The Bank of England held interest rates at 5.25% on Thursday, the third pause in a row, saying price "
        "growth was slowing but remained too high.\n"
        "Governor Andrew Bailey said the committee would watch wage settlements closely before any cut. "
        "Six members voted to hold and three wanted a quarter-point reduction.\n"
        "Sterling fell half a cent against the dollar after the decision, while the FTSE 100 closed slightly "
        "higher. Mortgage lenders said fixed-rate deals were already cheaper than a year ago."
    ),
    "election": (
        "Voters in Slovakia go to the polls on Saturday in a parliamentary election that could shift the "
        "country's stance on the war in neighbouring Ukraine.\n"
        "Former prime minister Robert Fico, whose Smer party leads most opinion polls, has promised to end "
        "military aid to Kyiv. His main rival, Michal Simecka of Progressive Slovakia, wants support to continue.\n"
        "Analysts say neither party is likely to win a majority, so coalition talks could take weeks. Turnout "
        "in the last election, in 2020, was about 66 per cent."
    ),
    "football": (
        "Manchester United came from two goals down to draw 2-2 with Tottenham at Old Trafford on Sunday.\n"
        "Son Heung-min and James Maddison put the visitors ahead before half-time, but Bruno Fernandes scored "
        "a penalty and Rasmus Hojlund headed in a late equaliser.\n"
        "Manager Erik ten Hag said his players had shown great character. The result leaves United eighth in "
        "the Premier League, eleven points behind the leaders."
    ),
    "vaccine": (
        "Health officials in Kenya have begun a campaign to vaccinate two million children against measles "
        "after outbreaks in five counties.\n"
        "The ministry said teams would visit schools, markets and churches over the next ten days. Parents "
        "were urged to bring a child's health card, although it is not required.\n"
        "The World Health Organization said vaccination rates had fallen during the pandemic, leaving many "
        "young children unprotected against the disease."
    ),
    "chip": (
        "Shares in the Dutch chip equipment maker ASML rose 6% on Wednesday after it reported record orders "
        "for the third quarter.\n"
        "Chief executive Peter Wennink said demand from memory makers had recovered faster than expected, "
        "although export restrictions to China would weigh on sales next year.\n"
        "The company, based in Veldhoven, is the only supplier of the extreme ultraviolet machines used to "
        "make the most advanced processors."
    ),
    "wildfire": (
        "Firefighters in northern Greece were battling a wildfire near the city of Alexandroupolis for a "
        "fifth day on Friday, as strong winds fanned the flames.\n"
        "Eighteen bodies were found in a forest close to the Turkish border, and officials believe they were "
        "migrants who had crossed the Evros river.\n"
        "The European Union sent planes from Italy, Croatia and Cyprus to help. Civil protection minister "
        "Vassilis Kikilias said the fire had burned more than 70,000 hectares."
    ),
    "museum": (
        "The British Museum said on Wednesday that about 2,000 items from its collection were missing, "
        "stolen or damaged, and that it had dismissed a member of staff.\n"
        "Most of the objects were small pieces of gold jewellery and gems dating from the 15th century BC to "
        "the 19th century AD, kept in a storeroom and rarely shown to the public.\n"
        "Director Hartwig Fischer announced he would step down, saying the museum had not responded as "
        "comprehensively as it should have to warnings in 2021."
    ),
}


def garble(text: str, doc_id: str, recipe: str = "mixed", level: float | None = None) -> str:
    r = load_recipe(recipe)
    if level is not None:
        r = r.with_level(level)
    spans = [(s.start, s.end) for s in Segmenter().split(text)]
    garbled, _ = r.garble(text, spans, seed=7, doc_id=doc_id)
    return garbled
