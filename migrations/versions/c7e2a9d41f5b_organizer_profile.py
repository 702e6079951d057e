"""Organizer profile: a display name and a school or organization, shown on certificates

Revision ID: c7e2a9d41f5b
Revises: ebdf7034eba7
Create Date: 2026-12-01 13:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7e2a9d41f5b'
down_revision = 'ebdf7034eba7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('organization', sa.String(length=80), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('organizer', schema=None) as batch_op:
        batch_op.drop_column('organization')
        batch_op.drop_column('display_name')
