#!/usr/bin/env python3
"""Connect latency and connects per second through each route (PyMySQL: connect, log in, close).

Usage: connect.py NAME:PORT [NAME:PORT ...] [--connects N] [--seconds S] [--threads T]
Prints, per route: p50/p99 of N sequential connects, sequential connects/s, and connects/s with T
threads each connecting in a loop for S seconds. Local test credentials app/app.
"""
import argparse
import threading
import time

import pymysql


def connect_once(port):
    started = time.perf_counter()
    pymysql.connect(host="127.0.0.1", port=port, user="app", password="app", database="tether").close()
    return time.perf_counter() - started


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def parallel_rate(port, threads, seconds):
    deadline = time.perf_counter() + seconds
    counts = [0] * threads
    errors = [0] * threads

    def loop(i):
        while time.perf_counter() < deadline:
            try:
                connect_once(port)
                counts[i] += 1
            except pymysql.MySQLError:
                errors[i] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - started), sum(errors)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("routes", nargs="+")
    parser.add_argument("--connects", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    print(f"connects (PyMySQL): {args.connects} sequential, then {args.threads} threads for {args.seconds:g} s")
    print(f"{'route':<16} | {'p50':>9} | {'p99':>9} | {'sequential/s':>12} | {str(args.threads) + ' parallel/s':>13} | errors")
    print("-" * 17 + "+" + "-" * 11 + "+" + "-" * 11 + "+" + "-" * 14 + "+" + "-" * 15 + "+-------")
    for route in args.routes:
        name, port = route.rsplit(":", 1)
        port = int(port)
        for _ in range(20):  # warm up the route (JIT, pools)
            connect_once(port)
        started = time.perf_counter()
        latencies = sorted(connect_once(port) for _ in range(args.connects))
        sequential = args.connects / (time.perf_counter() - started)
        rate, errors = parallel_rate(port, args.threads, args.seconds)
        print(f"{name:<16} | {percentile(latencies, 0.5) * 1000:6.2f} ms | {percentile(latencies, 0.99) * 1000:6.2f} ms"
              f" | {sequential:12.0f} | {rate:13.0f} | {errors}")


if __name__ == "__main__":
    main()
