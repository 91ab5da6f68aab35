"""The knowledge base: one SQLite file of trusted documents, their passages and indexes."""

from kiemchung.verify.kb.store import KnowledgeBase, Passage, StoredDocument, open_knowledge_base

__all__ = ["KnowledgeBase", "Passage", "StoredDocument", "open_knowledge_base"]
