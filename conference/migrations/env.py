"""Alembic environment: runs on the connection the app hands over (see conference/office/first_start.py)."""
from alembic import context

from conference.core import models  # noqa: F401 - fills the metadata
from conference.core.db import Base, UTCDateTime


def render_item(kind, obj, autogen_context):
    """Migrations store plain DateTime columns; the UTC handling lives in the model type."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True, render_item=render_item)
with context.begin_transaction():
    context.run_migrations()
