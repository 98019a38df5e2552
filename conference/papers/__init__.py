"""The papers fit to file: badges, invitations, the MC's script, the attendance list, the minutes.

Domain: badges.py (A4 sheets and PNGs with QR codes), invitations.py, script.py (the kịch bản),
attendance.py (the attendance list), minutes.py (the biên bản), credentials.py (the báo cáo thẩm
tra tư cách đại biểu), conclusion.py (the thông báo kết luận), counting.py (an election's biên bản
kiểm phiếu), notes.py (the secretary's notes);
docx_layout.py, print_text.py and text_metrics.py lay text out on paper (NĐ 30/2020's layout,
fonts with every Vietnamese letter, text that fits).
Views: pages.py (the office's papers page and downloads).

The domain imports core and the features before it (accounts, checkin, awards, show; votes: every
vote for the minutes, an election for its counting record).
"""
