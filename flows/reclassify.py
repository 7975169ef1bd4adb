"""The reclassify flow: label every current passage with the current model, keep the history."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from flows import tasks
from flows.runtime import Runtime
from warehouse.db import open_db
from warehouse.model_registry import register_model
from warehouse.publish import WriteLock, prepare_work_db, publish
from warehouse.relabel import relabel_batch, unlabelled
from whitehall.settings import Settings


@task(name="relabel-batch", cache_policy=NONE)
def relabel(con, batch, classifier) -> int:
    return relabel_batch(con, batch, classifier)


@flow(name="reclassify", log_prints=True)
def reclassify(batch_size: int = 2000) -> dict:
    """Relabel the warehouse with the configured model and make it the current one."""
    logger = get_run_logger()
    settings = Settings()
    runtime = Runtime.build(settings)
    model = runtime.model
    version = model.classifier.model_version
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        work = prepare_work_db(settings.db_path)
        con = open_db(work)
        done = 0
        notes: list[str] = []
        try:
            for batch in unlabelled(con, version, batch_size):
                done += relabel(con, batch, model.classifier)
                logger.info("%d passages relabelled with %s", done, version)
            register_model(con, version, model.classifier.codebook_version, model.kind, model.card)
            tasks.after_loading(con, notes, settings.search_path, settings.embed_missing)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        publish(work, settings.db_path)
    runtime.close()
    return {"model_version": version, "relabelled": done, "notes": notes}
