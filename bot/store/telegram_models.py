"""The Telegram channel's own tables.

A chat is found by a keyed hash of its Telegram id (so a copy of the database cannot be
searched for a known Telegram user); the id itself is kept sealed because the bot needs
it to send. Buttons are stored so that a callback is accepted only for a payload this
bot offered to this chat, once.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, LargeBinary, String

from bot.store.models import Base, new_id, utcnow


class TelegramChat(Base):
    __tablename__ = "telegram_chats"
    id = Column(String(32), primary_key=True, default=new_id)
    chat_hash = Column(String(64), nullable=False, unique=True)
    key_id = Column(String(32), nullable=False)  # master-wrapped: survives a person's erasure
    chat_id_enc = Column(LargeBinary, nullable=False)
    conversation_id = Column(String(64), nullable=True, index=True)  # Rasa sender id
    coordinator_id = Column(String(32), nullable=True, index=True)
    # Set after telling the chat once that Rasa is down; cleared when it answers again.
    trouble_told = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class TelegramButton(Base):
    """One offered button: its short id is the callback_data Telegram sends back."""

    __tablename__ = "telegram_buttons"
    id = Column(String(16), primary_key=True)
    chat_ref = Column(String(32), nullable=False, index=True)  # telegram_chats.id
    offer = Column(String(64), nullable=False, index=True)  # the turn that offered it
    payload_enc = Column(LargeBinary, nullable=False)
    used_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class TelegramMessage(Base):
    """Which messages are in a chat (ids only, never content), so that the child can have
    them deleted from the chat after approval: bots may delete them for 48 hours."""

    __tablename__ = "telegram_messages"
    id = Column(Integer, primary_key=True, autoincrement=True)
    chat_ref = Column(String(32), nullable=False, index=True)
    message_id = Column(BigInteger, nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
