"""The hall and its seats: the layout an office describes once per conference, and who sits where.

Domain: hall.py (the presidium, the secretariat and the blocks of rows; a copy from another
conference; seat codes and the labels ushers read), assign.py (a seat by hand, cleared, and the
automatic assignment in protocol order; never two delegates on one seat).
Views: pages.py (the office's seating chart: the hall as a grid, pick a delegate and a seat).
The seating chart and the name cards on paper are in papers/ (seating_chart.py, name_cards.py).

The domain imports core and the features before it (accounts, checkin, awards).
"""
