"""Where a flow's mapped tasks run, chosen by configuration alone (the flow code never changes).

- `WHITEHALL_TASK_RUNNER=threads` (default): a thread pool in the flow's process.
- `WHITEHALL_TASK_RUNNER=dask`: prefect-dask's DaskTaskRunner. With `WHITEHALL_DASK_ADDRESS`
  it joins a running scheduler (`tcp://scheduler:8786`, a Kubernetes or Coiled cluster);
  with `WHITEHALL_DASK_CLUSTER_CLASS` (`coiled.Cluster`, `dask_kubernetes.operator.KubeCluster`)
  and `WHITEHALL_DASK_CLUSTER_KWARGS` (JSON) it creates one; otherwise a LocalCluster of
  `WHITEHALL_DASK_WORKERS` single-threaded worker processes.
- `WHITEHALL_RESULT_STORAGE`: a folder or fsspec URL (`s3://bucket/whitehall-results`) that every
  worker and the flow can reach; mapped task results are persisted there.
"""

from __future__ import annotations

import hashlib
import json

from whitehall.settings import Settings


def task_runner(settings: Settings):
    """The configured Prefect task runner."""
    if settings.task_runner == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=settings.fetch_workers)
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    if settings.dask_cluster_class:
        return DaskTaskRunner(cluster_class=settings.dask_cluster_class,
                              cluster_kwargs=json.loads(settings.dask_cluster_kwargs or "{}"))
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


def result_storage(settings: Settings):
    """A Prefect file-system block (saved to the API, as Prefect requires) for task results on
    shared storage, or None (results travel back in memory)."""
    location = settings.result_storage
    if not location:
        return None
    if "://" in location and not location.startswith("file://"):
        from prefect.filesystems import RemoteFileSystem

        block = RemoteFileSystem(basepath=location)
    else:
        from prefect.filesystems import LocalFileSystem

        block = LocalFileSystem(basepath=location.removeprefix("file://"))
    block.save(f"whitehall-results-{hashlib.sha256(location.encode()).hexdigest()[:10]}", overwrite=True)
    return block
