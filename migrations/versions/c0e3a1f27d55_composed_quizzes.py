"""composed quizzes: an organizer's own quizzes, and the questions a session plays copied into it

Revision ID: c0e3a1f27d55
Revises: c7e2a9d41f5b
Create Date: 2026-12-01 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.types  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = 'c0e3a1f27d55'
down_revision = 'c7e2a9d41f5b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('composed_quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('bank_types', sa.JSON(), nullable=False),
    sa.Column('bank_count', sa.Integer(), nullable=False),
    sa.Column('bank_order', sa.String(length=10), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.Column('created_at', webapp.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', webapp.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organizer_id'], ['organizer.id'], name=op.f('fk_composed_quiz_organizer_id_organizer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_composed_quiz'))
    )
    with op.batch_alter_table('composed_quiz', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_composed_quiz_organizer_id'), ['organizer_id'], unique=False)

    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_column('snapshot')

    with op.batch_alter_table('composed_quiz', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_composed_quiz_organizer_id'))

    op.drop_table('composed_quiz')
