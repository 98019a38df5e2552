"""The awards (item 5), one concern a file (the item-8 vote is a vote of conference/votes/). Domain:

- order.py: the calling order and what the screens see of it (the JSON shapes, the two-step
  reveal); its public names are this package's, below;
- catalogue.py: the office's set-up (forms, decisions, honourees, a hand-set order, the batch size);
- day.py: who received (in person, nhận thay, or absent), the log for the minutes;
- importer.py: honourees from a spreadsheet;
- common.py: what they share (input checks, the honouree lookup, the race retry).
Views: api.py (the awards API), pages.py (the office's awards page).

Each file imports what it shares by its public name (from common.py and order.py; importer.py also
reads the catalogue through catalogue.py), never a sibling's private name, and nothing late.
The domain imports core, accounts and checkin (the importer reads spreadsheets as checkin's does).
"""
from __future__ import annotations

from .order import (Announcement, announcement_json, award_snapshot, calling_order, decision_json, decision_text,
                    form_json, honouree_json, honouree_view, next_announcement, previous_announcement)

__all__ = ["Announcement", "announcement_json", "award_snapshot", "calling_order", "decision_json", "decision_text",
           "form_json", "honouree_json", "honouree_view", "next_announcement", "previous_announcement"]
