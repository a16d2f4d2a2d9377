"""What several test modules share: one way to start `wsauth serve` (serve.py), one
tmux terminal (terminal.py), one isolated home for credential commands (home.py), the
auth API peer process and Redis (processes.py). Test modules import from here and from
peers/, never from each other."""
