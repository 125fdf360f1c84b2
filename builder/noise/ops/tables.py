"""Data tables for the garbling operations: keyboard layout, OCR confusions, name rules.

Kept apart from the operations so the realism of the noise can be tuned (or estimated
from real pairs) without touching code.
"""

from __future__ import annotations

# QWERTY rows, each shifted about half a key right of the one above: the key at column
# i touches columns i and i+1 of the row above and i-1 and i of the row below.
_LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_DIGIT_ROW = "1234567890"


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                near += [rows[r - 1][j] for j in (i, i + 1) if j < len(rows[r - 1])]
            if r + 1 < len(rows):
                near += [rows[r + 1][j] for j in (i - 1, i) if 0 <= j < len(rows[r + 1])]
            table[key] = "".join(near)
    return table


#: Lower-case key -> the keys a finger slips onto. Letters slip onto letters and digits
#: onto digits: a letter typed as a digit inside a word is rare in real typing noise.
KEYBOARD: dict[str, str] = {**_neighbours(_LETTER_ROWS), **_neighbours((_DIGIT_ROW,))}

#: OCR confusions as (seen in clean text, read as, relative weight). Case-sensitive; the
#: shape confusions that change the length (rn -> m, m -> rn, u -> ii) weigh more because
#: they are what sets OCR noise apart from typing noise.
OCR: tuple[tuple[str, str, float], ...] = (
    ("rn", "m", 4.0),
    ("m", "rn", 3.0),
    ("cl", "d", 3.0),
    ("d", "cl", 2.0),
    ("li", "h", 3.0),
    ("h", "li", 2.0),
    ("ri", "n", 1.5),
    ("0", "O", 2.0),
    ("O", "0", 2.0),
    ("1", "l", 2.0),
    ("l", "1", 1.0),
    ("I", "l", 2.0),
    ("l", "I", 1.5),
    ("e", "c", 1.0),
    ("c", "e", 1.0),
    ("u", "ii", 1.5),
    ("vv", "w", 3.0),
    ("w", "vv", 2.0),
    ("S", "5", 1.5),
    ("5", "S", 1.0),
    ("B", "8", 1.5),
    ("8", "B", 1.0),
    ("fi", "ﬁ", 2.0),
    ("fl", "ﬂ", 2.0),
)

#: Transliteration-style drift of proper nouns: (rule, regex, replacement), matched
#: case-insensitively; deletions never remove a name's first letter.
NAME_RULES: tuple[tuple[str, str, str], ...] = (
    ("ff>v", r"ff", "v"),
    ("ph>f", r"ph", "f"),
    ("double>single", r"([^\W\d_])\1", r"\1"),
    ("zh>z", r"zh", "z"),
    ("zh>", r"(?<=\w)zh", ""),
    ("kh>h", r"kh", "h"),
    ("l>r", r"l", "r"),
    ("r>l", r"r", "l"),
    ("y>ie", r"(?<=[b-df-hj-np-tv-xz])y$", "ie"),
    ("ie>y", r"(?<=\w)ie$", "y"),
    ("k>c", r"k", "c"),
    ("w>v", r"w", "v"),
    ("e>", r"(?<=\w\w)e$", ""),
)
#: Dropping a vowel+consonant syllable inside a name: only for names at least this long.
SYLLABLE_MIN_LEN = 6
SYLLABLE = r"(?<=\w\w)[aeiou][b-df-hj-np-tv-xz](?=\w)"

#: Capitalised words that are not names even in mid-sentence: days, months and titles
#: (a title is not transliterated, the name after it is).
# fmt: off
NOT_NAMES: frozenset[str] = frozenset({
    "I", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "President", "Vice", "Prime", "Minister",
    "Secretary", "Chancellor", "General", "Gen", "Senator", "Sen", "Governor", "Gov",
    "Representative", "Rep", "Mayor", "Judge", "Justice", "Mr", "Mrs", "Ms", "Dr", "Sir",
    "Lord", "Lady",
})
# fmt: on
#: Sentence-initial words that are never the first word of a name run ("The Kremlin").
# fmt: off
SENTENCE_STARTERS: frozenset[str] = frozenset({
    "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "We",
    "They", "You", "I", "In", "On", "At", "By", "For", "From", "To", "With", "As", "But",
    "And", "Or", "So", "If", "When", "While", "After", "Before", "Since", "Our", "Their",
    "His", "Her", "My", "Your", "There", "Here", "What", "Who", "Why", "How", "Some",
    "Many", "Most", "All", "One", "Two", "Three", "No", "Not", "Yet", "Also",
})
# fmt: on
#: Characters right before a word that make it sentence-initial in form (a quote opens).
OPENERS = "“‘\"'(["

# ---------------------------------------------------------------------------------------
# Shift slips: the character a key gives with shift held, and back (US layout).
# ---------------------------------------------------------------------------------------
_UNSHIFTED = "1234567890-=[];',./`"
_SHIFTED = '!@#$%^&*()_+{}:"<>?~'
#: Character -> the other character of its key (digits and punctuation only).
SHIFT_PAIRS: dict[str, str] = {
    **dict(zip(_UNSHIFTED, _SHIFTED, strict=True)),
    **dict(zip(_SHIFTED, _UNSHIFTED, strict=True)),
}

# ---------------------------------------------------------------------------------------
# Function words: what machine translation drops, adds and confuses most often (in the
# MLQE-PE post-edits: the, of, to, in, a, is, on, with, by, was, for, that, and, it ...).
# ---------------------------------------------------------------------------------------
# fmt: off
ARTICLES: frozenset[str] = frozenset({"a", "an", "the"})
PREPOSITIONS: frozenset[str] = frozenset({
    "of", "in", "on", "at", "to", "for", "with", "by", "from", "about", "into", "over", "after",
    "under", "through", "during", "against", "between", "among", "within", "toward", "towards",
    "across", "before", "since", "without", "near", "amid", "onto", "upon",
})
AUXILIARIES: frozenset[str] = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "shall", "should", "may", "might", "must",
})
PRONOUNS: frozenset[str] = frozenset({
    "he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "his", "its",
    "their", "our", "my", "your", "this", "that", "these", "those", "which", "who", "there",
})
CONJUNCTIONS: frozenset[str] = frozenset({"and", "or", "but", "as", "so", "than", "then"})
#: What ``function_word_drop`` may leave out (``not`` is not in it: that flips a meaning).
FUNCTION_WORDS: frozenset[str] = ARTICLES | PREPOSITIONS | AUXILIARIES | PRONOUNS | CONJUNCTIONS
#: Words after which an inserted article reads as a translation slip ("in the Kursk").
DETERMINERS: frozenset[str] = ARTICLES | frozenset({
    "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
    "some", "any", "each", "every", "no", "another", "all", "both", "such",
})
#: Verbs of saying after which MT adds "that" ("said that on Wednesday").
SAYING_VERBS: frozenset[str] = frozenset({
    "said", "says", "added", "stated", "announced", "believes", "believed", "thinks", "warned",
    "noted", "claimed", "argued", "insisted", "stressed", "explained", "confirmed", "reported",
})
#: Words of a subject phrase that an echo may end at ("Kremlin spokesman Dmitry Peskov said").
ECHO_VERBS: frozenset[str] = frozenset({"said", "says", "added", "stated", "noted", "warned"})
# fmt: on

# ---------------------------------------------------------------------------------------
# Wrong senses: a word rendered as a translation of one of its other senses, as a round
# trip through another language does (units -> layers, court -> yard, press -> push,
# peace -> world, decision -> solution, oil -> butter). Keys are lower-case single words;
# renderings are in lower case and get the case of the word they replace.
# Written for this project from the ambiguities of news vocabulary; no external source.
# ---------------------------------------------------------------------------------------
# fmt: off
WRONG_SENSE: dict[str, tuple[str, ...]] = {
    # military and security
    "units": ("layers", "parts", "departments"), "unit": ("layer", "part", "department"),
    "post": ("position", "mail", "pole"), "posts": ("positions", "mails", "poles"),
    "forces": ("powers", "strengths"), "force": ("power", "strength"),
    "troops": ("troupes", "crowds"), "army": ("host", "multitude"),
    "soldier": ("warrior", "fighter"), "soldiers": ("warriors", "fighters"),
    "ground": ("earth", "soil", "land"), "key": ("major", "main", "lock"),
    "fire": ("dismiss", "flame", "shooting"), "fired": ("dismissed", "burned", "shot"),
    "firing": ("dismissing", "burning"), "shelling": ("husking", "peeling"),
    "strike": ("blow", "hit"), "strikes": ("blows", "hits"), "shot": ("photographed", "snapshot"),
    "offensive": ("insulting", "attack"), "advance": ("progress", "promotion"),
    "advanced": ("progressed", "promoted"), "retreat": ("retirement", "refuge"),
    "command": ("team", "order"), "mission": ("embassy", "assignment"),
    "target": ("goal", "aim"), "targets": ("goals", "aims"), "task": ("job", "target"),
    "tasks": ("targets", "jobs"), "capture": ("seizure", "catch"),
    "captured": ("photographed", "seized", "caught"), "seized": ("grabbed", "caught"),
    "defeat": ("destroy", "crush"), "defeated": ("destroyed", "crushed"),
    "security": ("safety", "protection"), "safety": ("security", "protection"),
    "defence": ("protection", "guard"), "defense": ("protection", "guard"),
    "shell": ("husk", "seashell"), "shells": ("husks", "seashells"),
    "positions": ("posts", "postures"), "position": ("post", "posture"),
    "zone": ("belt", "area"), "area": ("square", "surface"), "front": ("face", "facade"),
    "operation": ("surgery", "transaction"), "operations": ("surgeries", "transactions"),
    "exercise": ("workout", "drill"), "exercises": ("workouts", "drills"),
    "incursions": ("invasions", "intrusions"), "occupied": ("busy", "engaged"),
    "entrenched": ("settled", "ingrained"), "mercenaries": ("hirelings",),
    "prisoners": ("captives", "convicts"), "civilians": ("peaceful residents", "civils"),
    "civilian": ("peaceful", "civil"), "casualties": ("accidents", "losses"),
    "victims": ("sacrifices", "prey"), "victim": ("sacrifice", "prey"),
    "conventions": ("congresses", "treaties"), "convention": ("congress", "treaty"),
    # politics and government
    "court": ("yard", "courtyard"), "courts": ("yards", "courtyards"),
    "press": ("push", "print", "squeeze"), "pressed": ("pushed", "squeezed"),
    "bill": ("account", "invoice", "beak"), "bills": ("accounts", "invoices"),
    "party": ("side", "feast", "batch"), "parties": ("sides", "feasts"),
    "cabinet": ("closet", "cupboard"), "chair": ("seat", "stool"), "campaign": ("company", "crusade"),
    "race": ("breed", "run"), "seat": ("chair", "place"), "seats": ("chairs", "places"),
    "stake": ("share", "bet"), "charge": ("load", "fee"), "charges": ("fees", "loads"),
    "charged": ("loaded", "filled"), "trial": ("test", "attempt"), "sentence": ("phrase", "proposition"),
    "sentenced": ("condemned", "judged"), "case": ("box", "occasion"), "cases": ("boxes", "occasions"),
    "deal": ("affair", "bargain"), "deals": ("affairs", "bargains"),
    "talks": ("conversations", "speeches"), "state": ("condition", "status"),
    "states": ("conditions", "statuses"), "border": ("boundary", "edge"), "borders": ("boundaries", "edges"),
    "situation": ("status", "position"), "officials": ("functionaries", "representatives", "clerks"),
    "official": ("functionary", "clerk"), "authorities": ("powers", "governments"),
    "administration": ("management", "direction"), "government": ("governance", "ruling"),
    "minister": ("priest", "pastor"), "ministers": ("priests", "pastors"),
    "ministry": ("department", "pastorate"), "secretary": ("clerk", "secretariat"),
    "spokesman": ("speaker", "representative"), "representatives": ("deputies", "agents"),
    "deputy": ("vice", "substitute"), "vote": ("voice", "ballot"), "votes": ("voices", "ballots"),
    "voters": ("electors", "choosers"), "election": ("choice", "selection"),
    "elections": ("choices", "selections"), "opposition": ("resistance", "contrast"),
    "ruling": ("governing", "reigning"), "rule": ("reign", "regulation"), "rules": ("regulations", "reigns"),
    "law": ("right", "statute"), "laws": ("rights", "statutes"), "agreement": ("consent", "accord"),
    "treaty": ("contract", "pact"), "peace": ("world", "calm", "quiet"), "world": ("peace", "light"),
    "envoy": ("messenger", "emissary"), "ambassador": ("messenger", "envoy"),
    "embassy": ("mission", "legation"), "relations": ("ties", "kinships"),
    "ties": ("knots", "bonds"), "allies": ("confederates", "partners"), "ally": ("confederate", "partner"),
    "leader": ("chief", "head"), "leaders": ("chiefs", "heads"), "capital": ("funds", "principal"),
    "annexation": ("joining", "attachment"), "coercion": ("compulsion", "forcing"),
    "rhetoric": ("oratory", "eloquence"), "alignment": ("alliance", "levelling"),
    "narrative": ("narration", "tale"), "attendance": ("presence", "visiting"),
    "gathering": ("event", "collection"), "suggestions": ("proposals", "hints"),
    "briefing": ("instruction", "instructing"), "contacts": ("contact information", "touches"),
    "footprint": ("trace", "footstep"), "leverage": ("lever", "lift"),
    # law, police and courts
    "police": ("militia",), "officers": ("employees", "staff"), "officer": ("employee", "staffer"),
    "investigation": ("consequence", "inquest"), "investigators": ("inquirers",),
    "prosecutor": ("accuser", "attorney"), "prosecutors": ("accusers", "attorneys"),
    "judge": ("referee", "arbiter"), "judges": ("referees", "arbiters"), "jury": ("judges", "panel"),
    "lawyer": ("advocate",), "lawyers": ("advocates",), "crime": ("offence", "criminality"),
    "suspect": ("suspicious",), "evidence": ("testimonies", "indications"),
    "arrested": ("detained", "seized"), "arrest": ("detention", "seizure"),
    "prison": ("dungeon", "jail"), "treated": ("cured", "handled"), "treat": ("cure", "handle"),
    "treatment": ("cure", "handling"),
    # economy and business
    "economic": ("economical",), "economy": ("economics", "thrift"),
    "interest": ("percent", "curiosity"), "interests": ("percents", "curiosities"),
    "rate": ("pace", "tempo"), "rates": ("paces", "tempos"), "share": ("portion", "part"),
    "shares": ("portions", "parts"), "stock": ("reserve", "supply"), "stocks": ("reserves", "supplies"),
    "market": ("bazaar", "fair"), "markets": ("bazaars", "fairs"), "growth": ("height", "stature"),
    "figure": ("statue", "shape"), "figures": ("statues", "shapes"), "record": ("recording", "entry"),
    "records": ("recordings", "entries"), "issue": ("edition", "release"),
    "issues": ("editions", "releases"), "measure": ("measurement", "size"),
    "measures": ("measurements", "sizes"), "move": ("movement", "step"), "firm": ("solid", "steady"),
    "firms": ("companies", "farms"), "company": ("society", "firm"), "companies": ("societies", "firms"),
    "business": ("affair", "matter"), "profit": ("benefit", "gain"), "profits": ("benefits", "gains"),
    "revenue": ("income", "proceeds"), "sales": ("discounts", "sellings"), "merger": ("fusion", "confluence"),
    "takeover": ("seizure", "capture"), "bid": ("application", "offer"), "bids": ("applications", "offers"),
    "investors": ("depositors", "contributors"), "investment": ("deposit", "contribution"),
    "fund": ("foundation", "stock"), "funds": ("means", "resources"), "bank": ("shore", "bench"),
    "banks": ("shores", "benches"), "account": ("bill", "score"), "accounts": ("bills", "scores"),
    "debt": ("duty", "obligation"), "debts": ("duties", "obligations"), "tax": ("fee", "levy"),
    "taxes": ("fees", "levies"), "price": ("cost", "value"), "prices": ("costs", "values"),
    "budget": ("estimate",), "jobs": ("works", "labours"), "job": ("work", "labour"),
    "industry": ("branch", "diligence"), "trade": ("commerce", "craft"), "tariffs": ("rates", "duties"),
    "goods": ("commodities", "wares"), "deficit": ("shortage", "scarcity"), "surplus": ("excess", "remainder"),
    "supply": ("provision", "delivery"), "supplies": ("provisions", "deliveries"),
    "inflation": ("swelling", "inflating"), "plant": ("vegetation", "seedling"),
    "plants": ("crops", "vegetation"), "oil": ("butter", "grease"), "gas": ("petrol", "fuel"),
    "fuel": ("combustible", "firewood"), "energy": ("power", "vigour"), "power": ("strength", "might"),
    "current": ("flowing", "stream"), "line": ("row", "string", "queue"), "lines": ("rows", "strings"),
    "board": ("plank", "deck"), "boards": ("planks", "decks"), "branch": ("bough", "twig"),
    "technology": ("technique",), "technologies": ("techniques",), "site": ("place", "location"),
    "sites": ("places", "locations"), "network": ("net", "web"), "networks": ("nets", "webs"),
    "platform": ("stage", "podium"), "data": ("givens", "facts"), "users": ("consumers", "utilizers"),
    "environment": ("surroundings", "medium"), "climate": ("weather",), "weather": ("climate",),
    # news and public life
    "report": ("lecture", "paper", "presentation"), "reports": ("lectures", "papers"),
    "reported": ("informed", "lectured"), "statement": ("declaration", "assertion"),
    "statements": ("declarations", "assertions"), "announced": ("declared", "proclaimed"),
    "comment": ("remark", "annotation"), "comments": ("remarks", "annotations"),
    "speech": ("talk", "language", "tongue"), "address": ("residence", "appeal"),
    "media": ("means", "mediums"), "source": ("spring", "origin"), "sources": ("springs", "origins"),
    "story": ("history", "tale"), "stories": ("histories", "tales"), "history": ("story", "tale"),
    "public": ("social", "open"), "joint": ("common", "articulation"), "event": ("happening", "incident"),
    "events": ("happenings", "incidents"), "incident": ("accident", "case"), "accident": ("incident", "chance"),
    "crash": ("collapse", "wreck"), "flight": ("escape", "flying"), "flights": ("escapes", "flyings"),
    "train": ("drill", "exercise"), "training": ("drill", "coaching"), "study": ("learning", "cabinet"),
    "studying": ("learning", "scrutinizing"), "watch": ("clock", "guard"), "film": ("tape", "membrane"),
    "films": ("tapes", "membranes"), "band": ("strip", "ribbon", "gang"), "chart": ("diagram", "map"),
    "team": ("command", "crew"), "teams": ("commands", "crews"), "side": ("party", "flank"),
    "cup": ("mug", "bowl"), "fan": ("ventilator", "admirer"), "fans": ("ventilators", "admirers"),
    "match": ("matchstick", "game"), "matches": ("matchsticks", "games"), "goal": ("target", "aim"),
    "goals": ("targets", "aims"), "club": ("stick", "bat"), "coach": ("carriage", "bus"),
    "coaches": ("carriages", "buses"), "star": ("luminary", "asterisk"), "stars": ("luminaries", "asterisks"),
    "season": ("seasoning", "time"), "title": ("heading", "caption"), "titles": ("headings", "captions"),
    "tie": ("knot", "bond"), "draw": ("drawing", "lottery"), "injury": ("trauma", "wound"),
    "injuries": ("traumas", "wounds"), "game": ("play", "hunt"), "games": ("plays", "hunts"),
    "players": ("performers", "gamblers"), "player": ("performer", "gambler"),
    "hospital": ("infirmary", "clinic"), "patients": ("invalids", "sick"),
    "outbreak": ("flare", "eruption"), "people": ("folk", "nation"), "population": ("populace", "inhabitancy"),
    "residents": ("inhabitants", "dwellers"), "region": ("district", "oblast"), "territory": ("land", "turf"),
    "village": ("settlement", "hamlet"), "conflict": ("confrontation", "dispute"),
    "war": ("warfare", "fighting"), "protest": ("objection", "remonstrance"),
    "protests": ("objections", "remonstrances"), "protesters": ("objectors",),
    "demonstration": ("display", "showing"), "demonstrations": ("displays", "showings"),
    "rally": ("gathering", "meeting"), "crowd": ("mob", "throng"), "aid": ("help", "auxiliary"),
    "support": ("backing", "prop"), "supporters": ("adherents", "props"), "damage": ("harm", "injury"),
    "damaged": ("harmed", "injured"), "threat": ("menace", "danger"), "threats": ("menaces", "dangers"),
    "threatened": ("menaced", "endangered"), "details": ("parts", "particulars"),
    "outcomes": ("results", "exits"), "results": ("fruits", "consequences"),
    "decision": ("solution", "resolution"), "decisions": ("solutions", "resolutions"),
    "solution": ("decision", "resolution"), "claims": ("pretensions", "demands"),
    "plan": ("scheme", "design"), "plans": ("schemes", "designs"), "proposal": ("offer", "suggestion"),
    "offer": ("proposal", "suggestion"), "meeting": ("encounter", "session"),
    "meetings": ("encounters", "sessions"), "visit": ("attendance", "call"),
    # verbs
    "said": ("told", "spoke", "declared"), "says": ("tells", "speaks"), "told": ("said", "narrated"),
    "added": ("supplemented", "appended"), "noted": ("marked", "remarked"),
    "stressed": ("underlined", "strained"), "warned": ("cautioned", "alerted"),
    "urged": ("prompted", "pressed"), "called": ("named", "rang"), "calls": ("names", "rings"),
    "asked": ("questioned", "begged"), "claimed": ("asserted", "demanded"),
    "expected": ("awaited", "waited"), "expects": ("awaits",), "agreed": ("consented", "settled"),
    "decided": ("solved", "resolved"), "decide": ("solve", "resolve"), "approved": ("praised", "endorsed"),
    "rejected": ("discarded", "declined"), "refused": ("denied", "renounced"),
    "denied": ("refused", "negated"), "accused": ("blamed", "charged"), "launched": ("threw", "hurled"),
    "launch": ("throw", "start"), "raised": ("lifted", "reared"), "raise": ("lift", "rear"),
    "rose": ("grew", "climbed"), "rise": ("ascent", "lifting"), "fell": ("dropped", "tumbled"),
    "fall": ("autumn", "drop"), "cut": ("chopped", "trimmed"), "cuts": ("chops", "trims"),
    "boost": ("push", "kick"), "boosted": ("pushed up", "lifted"), "hit": ("beat", "struck"),
    "pushed": ("shoved", "pressed"), "faced": ("confronted", "fronted"), "faces": ("confronts", "fronts"),
    "met": ("encountered", "gathered"), "meet": ("encounter", "gather"), "held": ("kept", "carried"),
    "hold": ("keep", "carry"), "holds": ("keeps", "carries"), "hosted": ("received", "accommodated"),
    "visited": ("attended", "frequented"), "left": ("abandoned", "quit"), "leave": ("abandon", "vacation"),
    "won": ("gained", "earned"), "win": ("gain", "earn"), "lost": ("forfeited", "missed"),
    "lose": ("forfeit", "miss"), "died": ("perished", "expired"), "killed": ("slain", "murdered"),
    "injured": ("damaged", "hurt"), "signed": ("subscribed", "marked"), "passed": ("handed", "went past"),
    "pass": ("hand", "go past"), "spent": ("wasted", "consumed"), "developed": ("elaborated", "evolved"),
    "produced": ("yielded", "manufactured"), "provided": ("supplied", "furnished"),
    "provide": ("supply", "furnish"), "offered": ("proposed", "suggested"), "planned": ("designed", "schemed"),
    "prepared": ("readied", "cooked"), "placed": ("located", "laid"), "discovered": ("opened", "uncovered"),
    "revealed": ("opened", "uncovered"), "showed": ("displayed", "exhibited"), "shows": ("displays", "exhibits"),
    "shown": ("displayed", "exhibited"), "signaled": ("shown", "indicated"), "signalled": ("shown", "indicated"),
    "covered": ("shielded", "roofed"), "involved": ("engaged", "entangled"), "engaged": ("busy", "occupied"),
    "concerns": ("cares", "matters"), "concerned": ("related", "touched"), "worried": ("troubled", "anxious"),
    "fears": ("dreads", "scares"), "feared": ("dreaded", "scared"), "hoped": ("wished", "wanted"),
    "wanted": ("wished", "desired"), "believe": ("trust", "consider"), "believed": ("trusted", "considered"),
    "considered": ("examined", "regarded"), "consider": ("examine", "regard"), "examined": ("studied", "inspected"),
    "followed": ("tracked", "pursued"), "follow": ("track", "pursue"), "led": ("guided", "conducted"),
    "lead": ("guide", "conduct"), "leading": ("guiding", "conducting"), "run": ("race", "flee"),
    "ran": ("raced", "fled"), "runs": ("races", "flees"), "served": ("attended", "waited"),
    "serve": ("attend", "wait"), "service": ("ministry", "serving"), "worked": ("laboured", "toiled"),
    "work": ("labour", "toil"), "prevent": ("warn", "avert"), "prevented": ("warned", "averted"),
    "achieve": ("reach", "attain"), "achieved": ("reached", "attained"), "fulfilled": ("achieved", "executed"),
    "restore": ("renew", "reconstruct"), "retaken": ("taken back", "reconquered"),
    "collapsed": ("fell", "crumbled"), "destroy": ("ruin", "annihilate"), "destroyed": ("ruined", "annihilated"),
    "liberate": ("free", "release"), "protected": ("guarded", "sheltered"), "welcomed": ("greeted", "hailed"),
    "unsettled": ("turbulent", "troubled"), "absorbed": ("swallowed", "soaked"),
    "shrinking": ("contracting", "shrivelling"), "released": ("issued", "published"),
    "release": ("edition", "liberation"), "engage": ("hire", "attract"),
    # adjectives and adverbs
    "surprise": ("surprising", "astonishment"), "central": ("middle", "median"),
    "major": ("big", "senior"), "minor": ("juvenile", "small"), "serious": ("grave", "heavy"),
    "severe": ("harsh", "stern"), "heavy": ("weighty", "hard"), "hard": ("firm", "solid"),
    "tough": ("rigid", "stiff"), "weak": ("feeble", "faint"), "high": ("tall", "lofty"),
    "low": ("short", "base"), "late": ("deceased", "delayed"), "former": ("previous", "past"),
    "previous": ("prior", "former"), "recent": ("fresh", "latest"), "early": ("premature", "untimely"),
    "final": ("ultimate", "finale"), "last": ("final", "past"), "next": ("following", "coming"),
    "second": ("other", "another"), "top": ("upper", "summit"), "senior": ("elder", "older"),
    "chief": ("main", "head"), "main": ("chief", "principal"), "foreign": ("alien", "strange"),
    "domestic": ("home", "household"), "national": ("folk", "popular"), "local": ("native", "indigenous"),
    "private": ("personal", "own"), "military": ("martial", "militant"), "civil": ("civic", "civilian"),
    "nuclear": ("atomic", "nucleic"), "human": ("humane",), "social": ("public", "societal"),
    "legal": ("juridical", "lawful"), "free": ("gratis", "loose"), "open": ("frank", "candid"),
    "close": ("near", "shut"), "closed": ("shut", "locked"), "fair": ("just", "equitable"),
    "unfair": ("unjust",), "clear": ("pure", "transparent"), "sharp": ("acute", "keen"),
    "sharply": ("acutely", "keenly"), "rapidly": ("quickly", "hastily"), "widely": ("broadly", "wide"),
    "strongly": ("powerfully", "stoutly"), "heavily": ("weightily", "hard"), "still": ("yet", "quiet"),
    "just": ("fair", "righteous"), "even": ("smooth", "level"), "potential": ("possible", "prospective"),
    "special": ("particular", "peculiar"), "wider": ("broader", "wide"), "fully": ("wholly", "completely"),
    "insulting": ("rude", "offending"), "unjustified": ("unfair", "unwarranted"),
    "spiraling": ("spiral", "twisting"), "spiralling": ("spiral", "twisting"),
    "following": ("next", "subsequent"), "western": ("west", "occidental"), "eastern": ("east", "oriental"),
    "northern": ("north",), "southern": ("south",), "toward": ("towards", "to"),
}
# fmt: on


# ---------------------------------------------------------------------------------------
# Calques: literal renderings. Word calques (noncommittal -> non-committed), prefix rules
# (counter- -> anti-) and idioms rendered word for word (the ball is in their court ->
# ball is in their yard). Written for this project; no external source.
# ---------------------------------------------------------------------------------------
# fmt: off
CALQUE_WORDS: dict[str, tuple[str, ...]] = {
    "noncommittal": ("non-committed", "uncommitted"), "ceasefire": ("fire cessation", "fire stop"),
    "ceasefires": ("fire cessations", "fire stops"), "spokesman": ("press secretary",),
    "spokeswoman": ("press secretary",), "spokesperson": ("press secretary",),
    "headquarters": ("head quarters", "staff"), "lawmakers": ("law-makers", "law-creators"),
    "nonprofit": ("non-commercial",), "unprecedented": ("non-precedented",), "unclear": ("non-clear",),
    "uncertain": ("non-certain",), "unemployed": ("non-working",), "unarmed": ("non-armed",),
    "unlikely": ("non-probable",), "impossible": ("non-possible",), "illegal": ("non-legal", "unlegal"),
    "irreversible": ("non-reversible",), "inaccurate": ("non-accurate",), "unacceptable": ("non-acceptable",),
    "unknown": ("non-known",), "unfair": ("non-just",), "unstable": ("non-stable",),
    "nevertheless": ("never the less", "all the same"), "meanwhile": ("in between time",),
    "stronghold": ("strong point",), "breakthrough": ("break-through",), "landmark": ("land sign",),
    "deadline": ("dead line", "final term"), "deadlines": ("dead lines", "final terms"),
    "upcoming": ("up-coming",), "overnight": ("over the night",), "overseas": ("over the seas",),
    "worldwide": ("world-wide",), "crackdown": ("crack-down",), "downturn": ("down-turn",),
    "standoff": ("stand-off",), "shortcomings": ("short-comings",), "watchdog": ("watch dog", "guard dog"),
    "lawsuit": ("law suit", "court claim"), "peacekeepers": ("peacemakers", "peace keepers"),
    "peacekeeping": ("peacemaking",), "mainstream": ("main stream",), "bystanders": ("by-standers",),
    "wildfire": ("wild fire",), "wildfires": ("wild fires",), "heatwave": ("heat wave",),
    "airstrike": ("air blow", "air strike"), "airstrikes": ("air blows", "air strikes"),
    "firefighters": ("fire fighters", "firemen"), "policymakers": ("policy makers",),
    "stakeholders": ("stake holders",), "civilians": ("peaceful residents",), "civilian": ("peaceful",),
    "unemployment": ("non-employment",), "inability": ("non-ability",), "insecurity": ("non-security",),
    "nonviolent": ("non-forceful",), "undocumented": ("non-documented",), "postwar": ("after-war",),
    "prewar": ("before-war",), "outnumbered": ("out-numbered",), "hostages": ("seized persons",),
    "whistleblower": ("whistle blower",), "scapegoat": ("goat of atonement",),
}
# fmt: on
#: The word calques under the name the noise profile reads its calque pairs from.
CALQUES = CALQUE_WORDS
#: Productive prefix calques: (prefix, rendering, shortest rest, words left alone).
PREFIX_CALQUES: tuple[tuple[str, str, int, frozenset[str]], ...] = (
    (
        "counter",
        "anti-",
        4,
        frozenset({"counterpart", "counterparts", "counterfeit", "counterfeits", "counterfeiting", "counters"}),
    ),
)
#: A hyphenated prefix rendered as another ("counter-attack" -> "anti-attack"): word -> rendering.
HYPHEN_PREFIX_CALQUES: dict[str, str] = {"counter": "anti", "anti": "counter", "post": "after", "pre": "before"}

#: Idioms and set phrases rendered word for word. Pattern tokens: a literal word; "a/b/c"
#: alternatives (the rendering's "x/y/z" token takes the same position); "{poss}" and
#: "{refl}" a possessive or reflexive pronoun, copied to the rendering. Case-insensitive.
# fmt: off
IDIOMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the ball is in {poss} court", ("ball is in {poss} yard", "the ball is in {poss} yard")),
    ("the ball is really in {poss} court", ("ball really is in {poss} yard",)),
    ("get/gets/getting/got ahead of {refl}", ("preempt/preempts/preempting/preempted {refl}",
                                             "run/runs/running/ran ahead of {refl}")),
    ("on the table", ("on the desk",)),
    ("in the wake of", ("in the trail of", "on the wave of")),
    ("at stake", ("on the stake",)),
    ("behind closed doors", ("behind the closed doors",)),
    ("at the end of the day", ("in the end of the day",)),
    ("turn/turned/turns/turning a blind eye to", ("close/closed/closes/closing eyes to",)),
    ("a turning point", ("a turn point",)),
    ("on the other hand", ("from the other side",)),
    ("hold/held/holds/holding talks", ("conduct/conducted/conducts/conducting negotiations",)),
    ("in the long run", ("in the long race",)),
    ("for the time being", ("for the present moment",)),
    ("break/broke/breaks/breaking the ice", ("crack/cracked/cracks/cracking the ice",)),
    ("in the spotlight", ("in the centre of attention",)),
    ("keep/kept/keeps/keeping an eye on", ("hold/held/holds/holding an eye on",)),
    ("in other words", ("with other words",)),
    ("by the way", ("between other things",)),
    ("up in the air", ("hanging in the air",)),
    ("a drop in the ocean", ("a drop in the sea",)),
    ("back to square one", ("back to the first square",)),
    ("call/called/calls/calling the shots", ("order/ordered/orders/ordering the music",)),
    ("throw/threw/throws/throwing in the towel", ("throw/threw/throws/throwing the towel",)),
    ("the last straw", ("the last drop",)),
    ("kill two birds with one stone", ("kill two hares with one shot",)),
    ("under fire", ("under the fire",)),
    ("take/took/takes/taking/taken into account", ("take/took/takes/taking/taken into calculation",)),
    ("in the meantime", ("in the between time",)),
    ("take/took/takes/taking/taken advantage of", ("use/used/uses/using/used the advantage of",)),
    ("come/came/comes/coming to terms with", ("come/came/comes/coming to conditions with",)),
    ("in the long term", ("in the long perspective",)),
    ("on the ground", ("on the places", "on the soil")),
    ("point of view", ("point of vision",)),
    ("head of state", ("head of the state",)),
    ("take/took/takes/taking/taken place", ("have/had/has/having/had place",)),
    ("make/made/makes/making a decision", ("accept/accepted/accepts/accepting a decision",)),
    ("take/took/takes/taking/taken a decision", ("accept/accepted/accepts/accepting/accepted a decision",)),
    ("take/took/takes/taking/taken measures", ("accept/accepted/accepts/accepting/accepted measures",)),
    ("pay/paid/pays/paying attention", ("turn/turned/turns/turning attention",)),
    ("take/took/takes/taking/taken part in", ("take/took/takes/taking/taken participation in",)),
    ("red line", ("red feature", "red trait")),
    ("red lines", ("red features", "red traits")),
    ("human rights", ("rights of man",)),
    ("prime minister", ("first minister", "premier minister")),
    ("press conference", ("press-conference",)),
    ("peace talks", ("peaceful negotiations", "peace conversations")),
    ("death toll", ("number of the dead", "toll of death")),
    ("go/went/goes/going to the polls", ("go/went/goes/going to the ballot boxes",)),
    ("the rule of law", ("the rule of right",)),
    ("public opinion", ("social opinion",)),
    ("law enforcement", ("law protection",)),
    ("armed forces", ("armed powers",)),
    ("as soon as possible", ("maximally quickly", "as fast as possible")),
    ("in the near future", ("in the nearest future",)),
    ("in the coming days", ("in the nearest days",)),
    ("at the moment", ("at the given moment",)),
    ("as a result", ("in the result",)),
    ("in fact", ("in deed", "in the fact")),
    ("on the contrary", ("on the opposite",)),
    ("more and more", ("all the more",)),
    ("no longer", ("already not",)),
    ("at least", ("as a minimum", "at the least")),
    ("at most", ("as a maximum",)),
    ("according to", ("by the words of", "in accordance with")),
    ("in order to", ("for that to", "in order that to")),
    ("such as", ("such like", "such how")),
    ("step/stepped/steps/stepping down", ("leave/left/leaves/leaving the post",)),
    ("state border", ("state boundary",)),
    ("security zone", ("safety belt",)),
    ("face/faced/faces/facing the music", ("answer/answered/answers/answering for everything",)),
    ("on track", ("on the rails",)),
    ("in the dark", ("in the darkness",)),
    ("a wake-up call", ("an awakening call",)),
    ("cut/cuts/cutting corners", ("cut/cuts/cutting the corners",)),
    ("a done deal", ("a made deal",)),
    ("at large", ("on freedom",)),
    ("the bottom line", ("the lower line",)),
    ("foreign minister", ("minister of foreign affairs", "outer affairs minister")),
    ("so far", ("until the present time", "for now")),
    ("for example", ("as an example", "for the example")),
)
# fmt: on
#: Possessive and reflexive pronouns the idiom placeholders match.
IDIOM_SLOTS: dict[str, str] = {
    "poss": "his|her|their|its|our|your|my",
    "refl": "itself|themselves|himself|herself|ourselves|myself|yourself|yourselves",
}

# ---------------------------------------------------------------------------------------
# Punctuation style
# ---------------------------------------------------------------------------------------
#: Quote pairs one style turns into the other.
STRAIGHT_QUOTES = ('"', '"')
CURLY_QUOTES = ("“", "”")
#: Dash renderings: each dash and what a translation system may print instead.
DASHES: dict[str, tuple[str, ...]] = {"—": ("–", "-"), "–": ("—", "-")}
