# Sourced by the setup scripts: ensure_venv DIR REQUIREMENTS
# Creates the virtual environment DIR (if missing) and installs REQUIREMENTS into it,
# only when the file (or the Python version) changed since the last install: a hash
# stamp in DIR makes a second run with nothing changed a no-op.
ensure_venv() {
  local venv="$1" requirements="$2" name
  name="$(basename "$venv")"
  if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $name with $("${PYTHON:-python3}" --version 2>&1)"
    "${PYTHON:-python3}" -m venv "$venv"
  fi
  local stamp="$venv/.requirements.sha256" wanted
  wanted="$( (sha256sum "$requirements"; "$venv/bin/python" --version 2>&1) | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    echo "setup: $name is up to date with $(basename "$requirements")"
    return 0
  fi
  echo "setup: installing $(basename "$requirements") into $name"
  "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
  echo "$wanted" > "$stamp"
}
