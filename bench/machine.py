"""The machine and package versions a benchmark ran on, as the header of docs/BENCHMARKS.md shows them.

    .venv/bin/python bench/machine.py
"""
from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

PACKAGES = ("prefect", "prefect-dask", "dask", "distributed", "trafilatura", "lxml", "duckdb", "pycld2",
            "requests", "courlan", "htmldate", "psutil")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return float("nan")


def package_versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def main() -> None:
    print(f"- CPU: {cpu_model()}, {os.cpu_count()} cores (as the OS sees them)")
    print(f"- memory: {memory_gib():.1f} GiB")
    print(f"- OS: {platform.system()} {platform.release()} ({platform.machine()})")
    print(f"- Python: {platform.python_version()} ({platform.python_implementation()})")
    print("- packages: " + ", ".join(f"{k} {v}" for k, v in package_versions().items()))


if __name__ == "__main__":
    main()
