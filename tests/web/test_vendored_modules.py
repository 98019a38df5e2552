"""The vendored PDF renderer is served so that a browser will run it: as JavaScript, from this host."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/static/vendor/pdfjs/pdf.min.mjs", "/static/vendor/pdfjs/pdf.worker.min.mjs"])
def test_pdf_renderer_modules_are_served_as_javascript(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"sourceMappingURL" not in response.data
