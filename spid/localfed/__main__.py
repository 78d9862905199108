"""`python -m spid.localfed --rp URL [--ta-port N] [--cie-port N]`: see spid/localfed/__init__.py."""

import argparse
import time

from . import run


def main():
    parser = argparse.ArgumentParser(prog="python -m spid.localfed")
    parser.add_argument("--rp", default="http://127.0.0.1:8000", help="the portal's URL (its entity id)")
    parser.add_argument("--ta-port", type=int, default=8100)
    parser.add_argument("--cie-port", type=int, default=8102)
    parser.add_argument("--workdir", default="var/localfed")
    args = parser.parse_args()
    federation = run.start(rp=args.rp, ta_port=args.ta_port, cie_port=args.cie_port, workdir=args.workdir)
    print(f"Trust anchor and SPID provider: {federation.ta}  (pid {federation.processes[0].pid})")
    print(f"CIE provider: {federation.cie_op}  (pid {federation.processes[1].pid})")
    print("Test users: user / oidcuser (SPID and CIE), minore / oidcminore (SPID). Ctrl-C stops.")
    try:
        while all(p.poll() is None for p in federation.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        run.stop(federation)


if __name__ == "__main__":
    main()
