"""The annotation store over TinyDB.  INTERFACE STUB: to be implemented.

Contract (the app, the CLI and the formats rely on exactly this):

    store = Store(root, readonly=False)   # root: the store folder; created unless readonly
    store.add(record) -> dict              # durable before it returns; validates with
                                           # tui.record.problems(); a record with the same
                                           # (article_id, start, end, label, annotator) as an
                                           # existing one is not duplicated: the existing one is returned
    store.add_many(records) -> int         # bulk path for import: batched per article,
                                           # skips ids already present, returns how many were added
    store.update(article_id, ann_id, **changes) -> dict   # label/note/start/end/...; sets updated_at
    store.delete(article_id, ann_id) -> dict              # returns the deleted record (for undo)
    store.restore(record) -> dict          # puts a deleted record back with its id (for undo)
    store.get(article_id, ann_id) -> dict | None
    store.for_article(article_id) -> list[dict]           # sorted by start, end, id
    store.anchored(article) -> tuple[list[dict], list[dict]]
                                           # (placed, orphans) for a tui.corpus.Article: records
                                           # whose article_sha256 differs are re-anchored (and the
                                           # move persisted); those that cannot be placed are orphans
    store.iter_all() -> Iterator[dict]     # every record, sorted by article, start, end, id
    store.article_ids() -> list[str]
    store.counts() -> dict[str, dict[str, int]]           # article_id -> annotator -> count
    store.reading_state(annotator) -> dict # {"last_article": str|None, "positions": {id: offset},
                                           #  "done": [ids]}
    store.set_position(annotator, article_id, offset) -> None
    store.set_done(annotator, article_id, done: bool) -> None

Errors: tui.store_errors.StoreError (one-line message), DamagedStoreError.
"""
