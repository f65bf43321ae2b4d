"""The evaluation cycle: criteria catalogs, rounds, councils and their members, score sheets,
exact scoring, council results and adoption, recognition decisions and certificates, the product's
projected recognition fields, and the province's scoring policy.
"""


from ocop_desktop.evaluation.catalog import Catalog, CatalogSet, Item, available_catalogs, load_catalog
from ocop_desktop.evaluation.recognition import VALIDITY_MONTHS, product_recognitions, recognise, recognition_for_entry
from ocop_desktop.evaluation.results import adopt_result, entry_result, rescore, stored_mean
from ocop_desktop.evaluation.rounds import (
    EntryView,
    add_entry,
    create_council,
    create_round,
    get_commune_review,
    get_council,
    get_entry,
    get_round,
    list_councils,
    list_entries,
    list_rounds,
    set_commune_review,
    set_elimination,
)
from ocop_desktop.evaluation.scoring import CouncilResult, ScoringPolicy, SheetInput, council_result, round_display
from ocop_desktop.evaluation.sheets import (
    get_sheet,
    open_or_start_sheet,
    reopen_sheet,
    save_answer,
    save_comment,
    submit_sheet,
)

__all__ = ["VALIDITY_MONTHS", "Catalog", "CatalogSet", "CouncilResult", "EntryView", "Item", "ScoringPolicy", "SheetInput", "add_entry", "adopt_result", "available_catalogs", "council_result", "create_council", "create_round", "entry_result", "get_commune_review", "get_council", "get_entry", "get_round", "get_sheet", "list_councils", "list_entries", "list_rounds", "load_catalog", "open_or_start_sheet", "product_recognitions", "recognise", "recognition_for_entry", "reopen_sheet", "rescore", "round_display", "save_answer", "save_comment", "set_commune_review", "set_elimination", "stored_mean", "submit_sheet"]
