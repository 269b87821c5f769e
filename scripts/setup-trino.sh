#!/usr/bin/env bash
# Trino server 476 (the engine Athena engine v3 is built on) for the analytics
# SQL tests, installed into a cache outside the repository. Idempotent: a second
# run with everything present is a quick no-op.
#
#   bash scripts/setup-trino.sh
#
# Where: $LAKEHOUSE_CACHE/trino-476, LAKEHOUSE_CACHE defaulting to
# ${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse (scripts/local/trino/install.ts
# resolves the same folder).
# What: the Maven artifact io.trino:trino-server:476 (packaging tar.gz), fetched
# by coordinates with Maven from the ordinary Maven registry. Only the hive and
# iceberg plugins are kept (about 480 MB instead of 896 MB); the tarball is deleted.
# Java: Trino 476 needs Java 24+. The default `java` stays as it is (Spark needs
# 17): TRINO_JAVA_HOME if set, otherwise the newest Java >= 24 among the
# system's JVMs (/usr/lib/jvm/*). Trino's own child process gets it, nothing else.
set -euo pipefail

readonly VERSION=476
readonly KEEP_PLUGINS=(hive iceberg)
readonly MIN_JAVA=24
readonly DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

cache="${LAKEHOUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse}"
home="$cache/trino-$VERSION"
marker="$home/.lakehouse-installed"

say() { printf 'setup-trino: %s\n' "$*"; }
die() { printf 'setup-trino: error: %s\n' "$*" >&2; exit 1; }

# The major version of a java binary ("17", "25"), or nothing when it does not run.
java_major() {
  "$1" -version 2>&1 | sed -nE 's/.*version "([0-9]+)[."].*/\1/p; s/.*version "([0-9]+)".*/\1/p' | head -n 1
}

# Prints the java home to run Trino with, or fails saying what to install.
find_java() {
  if [[ -n "${TRINO_JAVA_HOME:-}" ]]; then
    local major
    major="$(java_major "$TRINO_JAVA_HOME/bin/java" || true)"
    [[ -n "$major" && "$major" -ge $MIN_JAVA ]] \
      || die "TRINO_JAVA_HOME=$TRINO_JAVA_HOME is not a Java $MIN_JAVA+ (found: ${major:-no runnable bin/java})"
    printf '%s\n' "$TRINO_JAVA_HOME"
    return
  fi
  local best="" best_major=0 java major
  for java in /usr/lib/jvm/*/bin/java; do
    [[ -x "$java" ]] || continue
    major="$(java_major "$java" || true)"
    if [[ -n "$major" && "$major" -ge $MIN_JAVA && "$major" -gt $best_major ]]; then
      best="$(dirname "$(dirname "$java")")" best_major=$major
    fi
  done
  [[ -n "$best" ]] || die "Trino $VERSION needs Java $MIN_JAVA or newer and none was found under /usr/lib/jvm.
  Install a JDK $MIN_JAVA+ (for example Temurin 25) into /usr/lib/jvm/<name>/, or point TRINO_JAVA_HOME at one.
  Keep the default java at 17: local Spark needs it."
  printf '%s\n' "$best"
}

java_home="$(find_java)"

if [[ -f "$marker" && -x "$home/bin/launcher" ]]; then
  say "Trino $VERSION is up to date in $home (Java: $java_home)"
  exit 0
fi

if ! command -v mvn >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's maven package (to fetch the server by its Maven coordinates)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
  else
    die "mvn is missing and there is no apt-get: install Apache Maven, then run this again"
  fi
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.trino-$VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT

started=$SECONDS
say "fetching io.trino:trino-server:$VERSION:tar.gz with Maven (about 821 MB)"
# A Maven repository of its own inside the cache: the plugins stay for a re-install,
# the server artifact is removed right after the copy so it is not kept twice.
repo_local="$cache/m2"
if ! (cd "$work" && mvn -B -q -Dstyle.color=never "-Dmaven.repo.local=$repo_local" "$DEPENDENCY_PLUGIN:copy" \
  "-Dartifact=io.trino:trino-server:$VERSION:tar.gz" "-DoutputDirectory=$work") >"$work/maven.log" 2>&1; then
  cat "$work/maven.log" >&2
  die "Maven could not fetch io.trino:trino-server:$VERSION:tar.gz (its output is above)"
fi
rm -rf "$repo_local/io/trino/trino-server"
tarball="$work/trino-server-$VERSION.tar.gz"
[[ -f "$tarball" ]] || die "Maven did not produce $tarball"
fetched=$SECONDS

say "unpacking"
tar -xzf "$tarball" -C "$work"
rm -f "$tarball"
unpacked="$work/trino-server-$VERSION"
[[ -x "$unpacked/bin/launcher" ]] || die "the archive has no trino-server-$VERSION/bin/launcher"
for plugin in "$unpacked"/plugin/*/; do
  name="$(basename "$plugin")"
  [[ " ${KEEP_PLUGINS[*]} " == *" $name "* ]] || rm -rf "$plugin"
done
for name in "${KEEP_PLUGINS[@]}"; do
  [[ -d "$unpacked/plugin/$name" ]] || die "the archive has no $name plugin"
done
printf 'trino-server %s\nplugins: %s\n' "$VERSION" "${KEEP_PLUGINS[*]}" >"$unpacked/.lakehouse-installed"

rm -rf "$home"
mv "$unpacked" "$home"
say "installed Trino $VERSION in $home ($(du -sh "$home" | cut -f1); fetch $((fetched - started)) s, unpack and prune $((SECONDS - fetched)) s; Java: $java_home)"
