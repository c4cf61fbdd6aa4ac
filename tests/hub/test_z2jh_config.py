"""The Zero to JupyterHub values (tools/hub/z2jh-config.yaml) parse and use only keys the
chart documents. Not deployed here: INSTRUCTORS.md says how to deploy them."""

from __future__ import annotations

import re

import pytest
import yaml

from tools import ROOT

pytestmark = pytest.mark.hub

CONFIG = ROOT / "tools" / "hub" / "z2jh-config.yaml"
CHART_VERSION = "4.4.0"  # jupyterhub/zero-to-jupyterhub-k8s, jupyterhub/values.schema.yaml

#: The keys of the chart's values schema (version CHART_VERSION) that the config uses. True
#: marks an object the chart passes through (additionalProperties: true), whose keys are
#: traitlets or Kubernetes fields rather than chart keys. ``<Class>`` stands for the schema's
#: pattern ``^[A-Z].*$`` under hub.config: any configurable class name.
DOCUMENTED = {
    "hub": False, "hub.config": False, "hub.config.JupyterHub": True,
    "hub.config.<Class>": True, "hub.concurrentSpawnLimit": False,
    "hub.activeServerLimit": False, "hub.consecutiveFailureLimit": False,
    "singleuser": False, "singleuser.image": False, "singleuser.image.name": False,
    "singleuser.image.tag": False, "singleuser.defaultUrl": False, "singleuser.cmd": False,
    "singleuser.startTimeout": False, "singleuser.cpu": False, "singleuser.cpu.guarantee": False,
    "singleuser.cpu.limit": False, "singleuser.memory": False,
    "singleuser.memory.guarantee": False, "singleuser.memory.limit": False,
    "singleuser.storage": False, "singleuser.storage.capacity": False,
    "singleuser.lifecycleHooks": False, "singleuser.lifecycleHooks.postStart": True,
    "cull": False, "cull.enabled": False, "cull.timeout": False, "cull.every": False,
    "prePuller": False, "prePuller.hook": False, "prePuller.hook.enabled": False,
    "prePuller.continuous": False, "prePuller.continuous.enabled": False,
    "scheduling": False, "scheduling.userScheduler": False,
    "scheduling.userScheduler.enabled": False, "scheduling.podPriority": False,
    "scheduling.podPriority.enabled": False, "scheduling.userPlaceholder": False,
    "scheduling.userPlaceholder.enabled": False, "scheduling.userPlaceholder.replicas": False,
    "proxy": False, "proxy.https": False, "proxy.https.enabled": False,
    "proxy.https.hosts": False, "proxy.https.letsencrypt": False,
    "proxy.https.letsencrypt.contactEmail": False,
}


def undocumented(values: dict, prefix: str = "") -> list[str]:
    """Every key path in ``values`` the chart does not document (empty when all are)."""
    bad = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        entry = path
        if path not in DOCUMENTED and prefix == "hub.config." and re.match(r"^[A-Z]", key):
            entry = "hub.config.<Class>"
        if entry not in DOCUMENTED:
            bad.append(path)
        elif isinstance(value, dict) and not DOCUMENTED[entry]:
            bad += undocumented(value, f"{path}.")
    return bad


def test_the_config_parses_and_uses_only_documented_keys():
    values = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert set(values) == {"hub", "singleuser", "cull", "prePuller", "scheduling", "proxy"}
    assert undocumented(values) == []
    assert f"z2jh) {CHART_VERSION}" in CONFIG.read_text(encoding="utf-8")


def test_the_check_rejects_a_misspelt_key():
    assert undocumented({"singleuser": {"memroy": {"limit": "1G"}}}) == ["singleuser.memroy"]
    assert undocumented({"hub": {"config": {"lowercase": {}}}}) == ["hub.config.lowercase"]
    assert undocumented({"hub": {"config": {"KubeSpawner": {"anything": 1}}}}) == []


def test_students_pull_the_course_and_the_image_has_what_the_hub_needs():
    values = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    command = values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[0] == "gitpuller" and command[2:] == ["main", "course"]
    assert values["singleuser"]["cmd"] == "jupyterhub-singleuser"
    image = (ROOT / "tools" / "hub" / "image-requirements.txt").read_text()
    dev = (ROOT / "requirements-dev.txt").read_text()
    nbgitpuller = re.search(r"^nbgitpuller\S*", image, re.M).group(0)
    assert nbgitpuller in dev  # the same range as the local hub's
    assert re.search(r"^jupyterhub>=5", image, re.M)
