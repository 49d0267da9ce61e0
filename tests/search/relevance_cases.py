"""Hand-judged relevance cases for the demo content (tests/search/test_relevance.py)."""

# ruff: noqa: E501 - document keys hold whole question titles, kept whole so they can be grepped.
from typing import NamedTuple


class Case(NamedTuple):
    query: str
    expected: tuple[str, ...]  # document keys, any of which counts as a right answer
    # "visitor" or "official" (a verified official also sees members-only threads)
    role: str = "visitor"


CASES = [
    # --- acronyms (expanded at query time from data/demo/acronyms_synonyms.csv) ------------
    Case(
        "l&a testing every ballot style",
        ("question:Do we have to do L&A testing on every ballot style or is a sample OK?",),
    ),
    Case(
        "L and A test a sample of ballot styles",
        ("question:Do we have to do L&A testing on every ballot style or is a sample OK?",),
    ),
    Case("L&A test deck webinar", ("event:la-test-deck-webinar",)),
    Case(
        "do we need a ballot manifest for our RLA",
        ("question:What is a ballot manifest and why does our RLA need one?", "guide:rla"),
    ),
    Case("how many ballots to sample in an RLA", ("guide:rla", "event:rla-in-practice-webinar")),
    Case(
        "UOCAVA 45 day deadline",
        ("question:When do UOCAVA ballots have to go out for the November general?",),
    ),
    Case(
        "FWAB backup ballot",
        ("question:When do UOCAVA ballots have to go out for the November general?",),
    ),
    Case(
        "NVRA 90 day quiet period",
        (
            "question:Can we remove voters whose mail came back undeliverable?",
            "guide:list-maintenance",
        ),
    ),
    Case("NCOA list maintenance", ("guide:list-maintenance",)),
    Case(
        "can we spend leftover HAVA funds on security cameras",
        ("question:Does HAVA money cover election security upgrades?",),
    ),
    Case(
        "how many BMDs per polling place",
        ("question:How many accessible voting machines per polling place?", "guide:accessibility"),
    ),
    Case(
        "voter not in the EPB", ("question:How do we handle a voter who isn't in the e-pollbook?",)
    ),
    Case(
        "what goes in a COOP",
        (
            "question:What belongs in a continuity of operations plan for the election office?",
            "guide:what-belongs-in-a-continuity-of-operations-plan-for-the-election-office",
        ),
    ),
    Case(
        "records request for CVRs",
        ("question:Public records request for cast vote records - do we have to release them?",),
    ),
    Case(
        "EAVS poll worker data", ("question:Where can we find what EAVS asked about poll workers?",)
    ),
    Case("EAC EMG chapters", ("guide:emg-overview",)),
    Case("ADA polling place survey", ("guide:accessibility",)),
    Case(
        "VBM signature cure",
        ("question:Best way to verify signatures on mail ballot envelopes and let voters cure?",),
    ),
    Case("ENR results website", ("topic:tabulation-results-reporting",)),
    # --- the expansion or a CSV synonym typed where the content uses the acronym ------------
    Case(
        "logic and accuracy testing sample",
        (
            "question:Do we have to do L&A testing on every ballot style or is a sample OK?",
            "guide:la-testing",
        ),
    ),
    Case(
        "risk limiting audit ballot manifest",
        ("question:What is a ballot manifest and why does our RLA need one?", "guide:rla"),
    ),
    Case(
        "military and overseas ballots deadline",
        ("question:When do UOCAVA ballots have to go out for the November general?",),
    ),
    Case(
        "motor voter removals",
        (
            "guide:list-maintenance",
            "question:Can we remove voters whose mail came back undeliverable?",
        ),
    ),
    Case(
        "continuity of operations plan",
        (
            "question:What belongs in a continuity of operations plan for the election office?",
            "guide:what-belongs-in-a-continuity-of-operations-plan-for-the-election-office",
        ),
    ),
    Case(
        "electronic poll book voter can't be found",
        ("question:How do we handle a voter who isn't in the e-pollbook?",),
    ),
    Case(
        "cast vote records public records",
        ("question:Public records request for cast vote records - do we have to release them?",),
    ),
    Case(
        "election administration and voting survey poll workers",
        ("question:Where can we find what EAVS asked about poll workers?",),
    ),
    Case("albert sensor", ("guide:ei-isac",)),
    Case(
        "VRA language minority ballots",
        (
            "question:Do we need Spanish ballots if we're not on the Section 203 list?",
            "topic:language-access",
        ),
    ),
    Case(
        "mail-in ballot signature verification",
        ("question:Best way to verify signatures on mail ballot envelopes and let voters cure?",),
    ),
    Case(
        "BOE members talking on the forum open meetings",
        ("question:Can all three of our election board members discuss an issue in this forum?",),
    ),
    # --- plural and inflected forms (stemming) ----------------------------------------------
    Case(
        "curing deficient envelopes",
        ("question:Best way to verify signatures on mail ballot envelopes and let voters cure?",),
    ),
    Case(
        "emptying drop boxes",
        ("question:Drop box security: cameras, emptying schedule, two people?",),
    ),
    Case(
        "recruiting student poll workers",
        ("question:Recruiting high school poll workers - any gotchas?", "guide:poll-workers"),
    ),
    Case(
        "got doxxed",
        (
            "question:Someone posted my home address online. What should I do first?",
            "guide:personal-safety",
        ),
    ),
    Case("polls kept open by court order provisional ballots", ("guide:provisional",)),
    # --- short keyword queries --------------------------------------------------------------
    Case(
        "dropbox cameras", ("question:Drop box security: cameras, emptying schedule, two people?",)
    ),
    Case(
        "poll workers per vote center",
        ("question:Recommended ratio of poll workers per polling place?",),
    ),
    Case(
        "spanish ballots section 203",
        ("question:Do we need Spanish ballots if we're not on the Section 203 list?",),
    ),
    Case(
        "swatting prevention",
        (
            "guide:personal-safety",
            "question:Someone posted my home address online. What should I do first?",
        ),
    ),
    Case("curbside voting", ("guide:accessibility",)),
    Case(
        "switch email to .gov",
        ("question:Should we move our website and email to .gov?", "guide:dotgov"),
    ),
    Case("rumor control page", ("question:How do other counties set up a rumor control page?",)),
    Case("fentanyl letters", ("guide:mail-hazmat",)),
    Case("insider threat checklist", ("guide:physical-security",)),
    Case("training election judges", ("guide:poll-workers",)),
    # --- natural-language questions ---------------------------------------------------------
    Case(
        "how long keep mail ballot envelopes",
        (
            "question:How long do we have to keep poll books and absentee envelopes after a federal election?",
            "guide:records-retention",
        ),
    ),
    Case(
        "can I cancel voters with returned mail",
        ("question:Can we remove voters whose mail came back undeliverable?",),
    ),
    Case(
        "is my post here subject to foia", ("question:Is our listserv/forum post a public record?",)
    ),
    Case(
        "how do I reconcile ballots before certification",
        ("question:How do we reconcile ballots at the canvass?",),
    ),
    Case(
        "tips for a tv interview on election night",
        ("question:Tips for surviving the first media interview after a close election?",),
    ),
    Case(
        "how do we write chain of custody procedures",
        (
            "guide:chain-of-custody",
            "question:How do we write a chain-of-custody procedure from scratch?",
        ),
    ),
    # --- best answered by a toolkit, event or topic page ------------------------------------
    Case("chain of custody log template", ("toolkit:chain-of-custody-log",)),
    Case(
        "polling place opening and closing checklist",
        ("toolkit:polling-place-opening-closing-checklist",),
    ),
    Case(
        "poll worker checklist zero report results tape",
        ("toolkit:polling-place-opening-closing-checklist",),
    ),
    Case("risk-limiting audit webinar recording", ("event:rla-in-practice-webinar",)),
    Case("suspicious mail webinar", ("event:suspicious-mail-webinar",)),
    Case("chain of custody convening", ("event:chain-of-custody-convening",)),
    Case("canvass and audits regional convening", ("event:canvass-and-audits-convening",)),
    Case("early voting", ("topic:early-voting",)),
    Case("redistricting precincts", ("topic:redistricting-precincts-gis",)),
    Case("candidate filing petitions", ("topic:candidate-filing-petitions",)),
    # --- members-only threads, for a verified official ---------------------------------------
    Case(
        "address confidentiality program for election workers",
        ("question:Staff threatened at home: how are you using address confidentiality programs?",),
        role="official",
    ),
    Case(
        "network outage election night fallback",
        ("question:What our tabletop on an election-night network outage revealed",),
        role="official",
    ),
    Case(
        "ENR outage backup method",
        ("question:What our tabletop on an election-night network outage revealed",),
        role="official",
    ),
    Case(
        "sheriff deputies at the polls",
        ("question:Working with the sheriff after a confrontation outside a polling place",),
        role="official",
    ),
]
