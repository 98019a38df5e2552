"""The stage: what the show gives the hall besides the projector (docs/SHOW.md §10).

- sound cues the office attaches to an item or step, to the awards batches, or to the speaker's
  time running out, played by one projector page (the sound page) when the show gets there;
- the lectern timer (/display/timer): the speaker's time large, and the MC's message to them;
- the stream overlay (/display/overlay): a lower third for OBS or vMix, hidden and shown by the MC;
- the report's slides: a PDF per item or step, its pages turned by the clicker before the show moves.

Domain: media.py (what an uploaded sound is, checked before it is kept), core/pdfs.py checks a
deck), cues.py (the cues, the sound page, stop / replay / sound check), slides.py (the decks and
the page up), controls.py (the lectern's message, the overlay on or off), overlay_style.py (the
overlay's style sheet), snapshot.py (the snapshot's "stage" and "slide"). Views: screens.py (the
pages and the files), api.py (the MC's calls), pages.py (the office's page). Part of show/: it
imports what show may.
"""
