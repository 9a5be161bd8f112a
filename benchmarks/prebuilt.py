"""Ours without rebuilding the frontend (`bench_webhooks.py --skip-build`): what
`reflex run --env prod --single-port` does once its build is done, on the build already
in `.web` (a full run made it). The backend it starts is the same; only the minute of
compiling and bundling is skipped, which helps when measuring change after change.
    python -m benchmarks.prebuilt PORT   (after `reflex db migrate`; settings as environment)
"""

from __future__ import annotations

import sys


def serve(port: int) -> None:
    from reflex.utils import exec as reflex_exec
    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port, backend_host="127.0.0.1")
    reflex_exec.run_backend_prod(
        "127.0.0.1", port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True
    )


if __name__ == "__main__":
    serve(int(sys.argv[1]))
