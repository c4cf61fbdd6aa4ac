# The course's JupyterHub on one machine: `make hub` (python -m tools.hub) prepares what this
# file reads from COURSE_HUB_* variables, then runs `jupyterhub -f tools/hub/jupyterhub_config.py`.
# Every setting says why it is here. The Kubernetes version of the same hub: z2jh-config.yaml.
import os  # the COURSE_HUB_* variables below come from tools/hub/__init__.py
from pathlib import Path  # paths inside the hub's state folder

c = get_config()  # noqa: F821 (jupyterhub provides get_config when it loads this file)

state = Path(os.environ["COURSE_HUB_STATE"])  # the hub's database, secrets, pid files
port = int(os.environ.get("COURSE_HUB_PORT", "8000"))  # the one port students open
students = os.environ["COURSE_HUB_STUDENTS"].split()  # the class list, system user names
venv = Path(os.environ["COURSE_HUB_VENV"])  # the project's .venv: the course environment
python = os.environ["COURSE_HUB_PYTHON"]  # a Python every student account can run (see __init__)

# --- where the hub listens: this machine only ---------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"  # the proxy's public side, loopback only
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's own API, which servers and the proxy call
c.JupyterHub.hub_port = port + 2  # beside the public port, so two hubs never collide
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 1}"  # proxy's REST API, loopback
c.ConfigurableHTTPProxy.should_start = False  # tools.hub runs the proxy (npm's pinned copy) apart,
# so a restarted hub finds it still running with every student's route, not a fresh one
c.ConfigurableHTTPProxy.auth_token = (state / "proxy-token").read_text().strip()  # hub -> proxy
c.Spawner.ip = "127.0.0.1"  # each student's server listens on loopback too

# --- state that survives a restart of the hub ---------------------------------------
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"  # users, tokens, servers
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")  # logins stay valid
c.JupyterHub.pid_file = str(state / "hub.pid")  # `make hub` again stops and replaces this hub
c.JupyterHub.cleanup_servers = False  # stopping the hub leaves students' servers running
c.JupyterHub.cleanup_proxy = False  # and the proxy: open notebooks keep working meanwhile

# --- who may log in: the class, by their system passwords ---------------------------
c.JupyterHub.authenticator_class = "pam"  # the machine's own accounts (tools.hub sets passwords)
c.Authenticator.allowed_users = set(students)  # only the class list; any other account: 403
c.Authenticator.admin_users = set()  # no student is an admin; the instructor uses a token
c.PAMAuthenticator.open_sessions = False  # no PAM session bookkeeping (no systemd-logind here)

# --- the instructor: an API token with the scopes to manage the class ---------------
c.JupyterHub.services = [{  # a service account, not a person: its token is in state/admin-token
    "name": "course-admin",  # appears in the hub's logs when the token is used
    "api_token": (state / "admin-token").read_text().strip(),  # root-only file, made once
}]
c.JupyterHub.load_roles = [{  # what that token may do
    "name": "course-admin",  # a role of its own, not the full admin role
    "scopes": ["admin:users", "admin:servers", "tokens", "read:hub"],  # users, servers, tokens
    "services": ["course-admin"],  # held by the service above only
}]

# --- each student's server: their own system user, home and process -----------------
c.JupyterHub.spawner_class = "localprocess"  # setuid to the student, in their home folder
c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]  # the course environment's server
c.Spawner.args = [
    "--LanguageServerManager.autodetect=False",  # no npm/yarn probe per server: jupyter-lsp
    # otherwise looks for Node language servers at start, seconds of CPU times 20
    "--KernelManager.transport=ipc",  # kernels talk over sockets in the student's home, not
    # TCP ports: 20 servers picking random free ports at once collided (a kernel bound a port
    # another had picked, "Address already in use", and hung), and no other account sees them
]
c.Spawner.default_url = "/lab"  # JupyterLab, as `make lab` gives it
c.Spawner.notebook_dir = "~"  # the student's home: their copy of the course lives there
c.Spawner.start_timeout = 180  # 20 servers starting at once on 2 cores take a while
c.Spawner.http_timeout = 180  # the same for the first answer of each server
c.Spawner.poll_interval = 10  # notice a killed server within seconds, not minutes
c.JupyterHub.concurrent_spawn_limit = 50  # a whole class may press Start at the same moment
c.JupyterHub.active_server_limit = 0  # no cap on running servers beyond the machine's memory
c.Spawner.environment = {  # added to the minimal environment the spawner gives each server
    "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin",  # course Python first
    "JUPYTER_PATH": str(venv / "share" / "jupyter"),  # the .venv's lab extensions and kernels
    "JUPYTER_CONFIG_PATH": str(venv / "etc" / "jupyter"),  # enables nbgitpuller's handlers
    "JUPYTERLAB_DIR": str(venv / "share" / "jupyter" / "lab"),  # JupyterLab's built assets
    "GIT_CONFIG_SYSTEM": str(state / "gitconfig"),  # /etc/gitconfig plus one safe.directory:
    # git refuses a repository another account owns, and the course repository is root's
}
if os.environ.get("COURSE_HUB_LIBRARY_PATH"):  # set when python is tools.hub's copy of a
    c.Spawner.environment["LD_LIBRARY_PATH"] = os.environ["COURSE_HUB_LIBRARY_PATH"]  # private one
