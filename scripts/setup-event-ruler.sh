#!/usr/bin/env bash
# AWS's own EventBridge pattern matcher, event-ruler 1.8.1 (the Java library
# EventBridge is built on), for the tests that prove the alert rules' patterns:
# its jar and its dependencies' jars, installed into a cache outside the
# repository. Idempotent: a second run with everything present is a no-op.
#
#   bash scripts/setup-event-ruler.sh
#
# Where: $LAKEHOUSE_CACHE/event-ruler-1.8.1/*.jar, LAKEHOUSE_CACHE defaulting to
# ${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse (as scripts/setup-trino.sh).
# What: software.amazon.event.ruler:event-ruler:1.8.1 from the ordinary Maven
# registry, with its runtime dependencies (Jackson and a few small ones).
set -euo pipefail

readonly VERSION=1.8.1
readonly DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

cache="${LAKEHOUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse}"
home="$cache/event-ruler-$VERSION"
marker="$home/.lakehouse-installed"

say() { printf 'setup-event-ruler: %s\n' "$*"; }
die() { printf 'setup-event-ruler: error: %s\n' "$*" >&2; exit 1; }

if [[ -f "$marker" ]]; then
  say "event-ruler $VERSION is up to date in $home"
  exit 0
fi
command -v mvn >/dev/null 2>&1 || die "mvn is missing: install Apache Maven (Debian: apt-get install maven), then run this again"

mkdir -p "$cache"
work="$(mktemp -d "$cache/.event-ruler-$VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# A throwaway project whose one dependency is event-ruler: Maven resolves its runtime jars.
cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lakehouse.tests</groupId>
  <artifactId>event-ruler-classpath</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>software.amazon.event.ruler</groupId>
      <artifactId>event-ruler</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
say "fetching software.amazon.event.ruler:event-ruler:$VERSION and its runtime dependencies with Maven"
if ! (cd "$work" && mvn -B -q -Dstyle.color=never "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime "-DoutputDirectory=$work/jars") >"$work/maven.log" 2>&1; then
  cat "$work/maven.log" >&2
  die "Maven could not fetch event-ruler $VERSION (its output is above)"
fi
[[ -f "$work/jars/event-ruler-$VERSION.jar" ]] || die "Maven did not produce event-ruler-$VERSION.jar"
rm -rf "$home"
mv "$work/jars" "$home"
touch "$marker"
say "installed event-ruler $VERSION and $(($(ls "$home"/*.jar | wc -l) - 1)) dependencies into $home"
