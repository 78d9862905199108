"""Print which locked packages moved between two uv.lock files: `lock_diff.py OLD NEW`."""

import sys
import tomllib


def versions(path: str) -> dict[str, str]:
    with open(path, "rb") as lock:
        return {p["name"]: p.get("version", "") for p in tomllib.load(lock)["package"]}


def main(old_path: str, new_path: str) -> None:
    old, new = versions(old_path), versions(new_path)
    moved = [f"  {n}: {old[n]} -> {new[n]}" for n in sorted(old.keys() & new.keys()) if old[n] != new[n]]
    added = [f"  + {n} {new[n]}" for n in sorted(new.keys() - old.keys())]
    removed = [f"  - {n} {old[n]}" for n in sorted(old.keys() - new.keys())]
    if not (moved or added or removed):
        print("uv.lock: nothing moved.")
        return
    print(f"uv.lock: {len(moved)} upgraded, {len(added)} added, {len(removed)} removed")
    print("\n".join(moved + added + removed))


if __name__ == "__main__":
    main(*sys.argv[1:3])
