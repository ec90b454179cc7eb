# Sourced by the scripts: defaults from .env.example, then the user's .env, then the real environment wins.
_here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_saved_env=$(export -p)
set -a
# shellcheck disable=SC1091
. "$_here/.env.example"
[ -f "$_here/.env" ] && . "$_here/.env"
set +a
eval "$_saved_env"
unset _saved_env _here
