#!/usr/bin/env python3
"""Snakemake `cluster:` command for HTCondor (workflow/profiles/htcondor).

Snakemake calls it with the path of a job script whose header holds the job's
properties as JSON ("# properties = {...}"); it submits the script with the
rule's cores and memory and prints the cluster id, as Snakemake expects.
"""
import json
import os
import subprocess
import sys
import tempfile

jobscript = sys.argv[-1]
properties = {}
with open(jobscript) as script:
    for line in script:
        if line.startswith("# properties = "):
            properties = json.loads(line[len("# properties = "):])
            break
cores = properties.get("threads", 1)
memory = properties.get("resources", {}).get("mem_mb", 2000)
rule = properties.get("rule", "goldmine")
os.makedirs("logs", exist_ok=True)
description = f"""executable = {jobscript}
request_cpus = {cores}
request_memory = {memory}MB
getenv = True
initialdir = {os.getcwd()}
output = logs/condor-{rule}-$(ClusterId).out
error = logs/condor-{rule}-$(ClusterId).err
log = logs/condor.log
queue
"""
with tempfile.NamedTemporaryFile("w", suffix=".sub", delete=False) as submit:
    submit.write(description)
result = subprocess.run(["condor_submit", "-terse", submit.name],
                        check=True, capture_output=True, text=True)
os.unlink(submit.name)
print(result.stdout.strip().split(".")[0])
