#!/usr/bin/env python3
"""Lay the overlay onto the pinned kernel, and cut it into a patch series.

The repository holds new kernel files at their kernel paths and edits to
existing kernel files as patches in patches/. patches/series.conf says which
patch of the series introduces which file, which glue patch and which parts
of files that grow over the series. Commands:

  prepare SRC BASE      make SRC = BASE + glue patches + overlay, touching
                        only the files whose content changes
  states OUTDIR         write the tree of every step (for inspection)
  series BASE REPO OUT  commit every step onto BASE's touched files in the
                        git repository REPO and format-patch into OUT
  lint                  check the plan against the repository
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATCHES = os.path.join(ROOT, "patches")
PLAN = os.path.join(PATCHES, "series.conf")
KERNEL_DIRS = ["arch", "drivers", "include", "Documentation", "samples",
               "tools"]
AUTHOR_NAME = "Gunyah Kernel Team"
AUTHOR_EMAIL = "kernel-team@gunyah-drivers.invalid"
DATE = "2026-01-01T00:00:00+00:00"


def die(msg):
    sys.stderr.write("[overlay] error: %s\n" % msg)
    sys.exit(1)


def overlay_files():
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "--"] + KERNEL_DIRS,
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return sorted(f for f in out.split("\n")
                  if f and os.path.isfile(os.path.join(ROOT, f)))


class Step:
    def __init__(self, subject):
        self.subject = subject
        self.files = []
        self.glue = []
        self.parts = []      # (file, begin, end)
        self.body = []


def parse_plan():
    steps = []
    cur = None
    in_header = False
    with open(PLAN) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("=== "):
                cur = Step(line[4:].strip())
                steps.append(cur)
                in_header = True
                continue
            if cur is None:
                if line.strip() and not line.startswith("#"):
                    die("text before the first step: %r" % line)
                continue
            if in_header:
                if not line.strip():
                    in_header = False
                    continue
                key, _, val = line.partition(":")
                key = key.strip()
                if key == "files":
                    cur.files += val.split()
                elif key == "glue":
                    cur.glue += val.split()
                elif key == "part":
                    fields = [x.strip() for x in val.split(" | ")]
                    if len(fields) != 3:
                        die("part needs 'file | begin | end': %r" % line)
                    cur.parts.append(tuple(fields))
                else:
                    die("unknown key %r in step %r" % (key, cur.subject))
            else:
                cur.body.append(line)
    for s in steps:
        while s.body and not s.body[-1].strip():
            s.body.pop()
    return steps


def glue_targets(patch):
    targets = []
    with open(os.path.join(PATCHES, patch)) as f:
        for line in f:
            if line.startswith("+++ b/"):
                targets.append(line[6:].split("\t")[0].strip())
    return targets


def all_glue(steps):
    return [g for s in steps for g in s.glue]


def cut_part(text, path, begin, end):
    """Remove one block: from the line where BEGIN matches to the end of the
    line where END first matches after it, with one blank line around it."""
    m = re.compile(begin, re.M).search(text)
    if not m:
        die("%s: part start %r not found" % (path, begin))
    start = text.rfind("\n", 0, m.start()) + 1
    e = re.compile(end, re.M).search(text, m.start())
    if not e:
        die("%s: part end %r not found" % (path, end))
    stop = text.find("\n", max(e.end() - 1, e.start()))
    stop = len(text) if stop < 0 else stop + 1
    # Keep the blank-line structure: drop one blank line next to the block.
    if text[stop:stop + 1] == "\n":
        stop += 1
    elif start >= 2 and text[start - 2:start] == "\n\n":
        start -= 1
    return text[:start] + text[stop:]


def file_at_step(steps, k, path):
    """Content of overlay file PATH after step K, or None if absent."""
    intro = [i for i, s in enumerate(steps) if path in s.files]
    if not intro or intro[0] > k:
        return None
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    for j in range(len(steps) - 1, k, -1):
        for (p, begin, end) in steps[j].parts:
            if p == path:
                text = cut_part(text, path, begin, end)
    return text


def apply_glue(base, patches, dest):
    """Write into DEST the files touched by PATCHES, as BASE patched by them
    in order. Returns the list of touched files."""
    touched = []
    for p in patches:
        for t in glue_targets(p):
            if t not in touched:
                touched.append(t)
    for t in touched:
        os.makedirs(os.path.dirname(os.path.join(dest, t)), exist_ok=True)
        shutil.copyfile(os.path.join(base, t), os.path.join(dest, t))
    for p in patches:
        r = subprocess.run(["patch", "-p1", "-s", "-N", "-r", "-",
                            "--no-backup-if-mismatch", "-d", dest,
                            "-i", os.path.join(PATCHES, p)],
                           capture_output=True, text=True)
        if r.returncode:
            die("glue patch %s does not apply:\n%s%s" % (p, r.stdout,
                                                          r.stderr))
    return touched


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return True


def read_list(path):
    try:
        with open(path) as f:
            return [x for x in f.read().split("\n") if x]
    except FileNotFoundError:
        return []


def restore(src, base, rel):
    b = os.path.join(base, rel)
    d = os.path.join(src, rel)
    if os.path.exists(b):
        with open(b, "rb") as f:
            write_if_changed(d, f.read())
    elif os.path.exists(d):
        os.unlink(d)


def cmd_prepare(src, base):
    steps = parse_plan()
    files = overlay_files()
    changed = 0
    for rel in files:
        with open(os.path.join(ROOT, rel), "rb") as f:
            changed += write_if_changed(os.path.join(src, rel), f.read())
    with tempfile.TemporaryDirectory() as tmp:
        touched = apply_glue(base, all_glue(steps), tmp)
        for rel in touched:
            with open(os.path.join(tmp, rel), "rb") as f:
                changed += write_if_changed(os.path.join(src, rel), f.read())
    # Put back what an earlier overlay added or changed and this one does not.
    state = os.path.join(src, ".gunyah-overlay")
    for rel in set(read_list(state)) - set(files) - set(touched):
        restore(src, base, rel)
        changed += 1
    with open(state, "w") as f:
        f.write("\n".join(sorted(set(files) | set(touched))) + "\n")
    sys.stderr.write("[overlay] %d files updated in %s\n" % (changed, src))


def cmd_lint():
    steps = parse_plan()
    files = overlay_files()
    errors = []
    seen = {}
    for i, s in enumerate(steps):
        for f in s.files:
            if f in seen:
                errors.append("%s is introduced twice" % f)
            seen[f] = i
            if f not in files:
                errors.append("%s (step %d) is not in the repository"
                              % (f, i + 1))
        for (p, _, _) in s.parts:
            if p not in seen or seen[p] >= i:
                errors.append("part of %s in step %d precedes the file"
                              % (p, i + 1))
        if not s.body:
            errors.append("step %d has no commit message" % (i + 1))
    for f in files:
        if f not in seen:
            errors.append("%s is in no step of the series" % f)
    glue = all_glue(steps)
    for g in sorted(os.listdir(PATCHES)):
        if g.endswith(".patch") and g not in glue:
            errors.append("glue patch %s is in no step" % g)
    for g in glue:
        if not os.path.exists(os.path.join(PATCHES, g)):
            errors.append("glue patch %s is missing" % g)
    # Every intermediate state must be computable.
    for k in range(len(steps)):
        for f in files:
            if f in seen:
                file_at_step(steps, k, f)
    for e in errors:
        sys.stderr.write("[overlay] %s\n" % e)
    if errors:
        sys.exit(1)
    sys.stderr.write("[overlay] plan ok: %d steps, %d files, %d glue patches\n"
                     % (len(steps), len(files), len(glue)))


def git(repo, *args, **kw):
    env = dict(os.environ,
               GIT_AUTHOR_NAME=AUTHOR_NAME, GIT_AUTHOR_EMAIL=AUTHOR_EMAIL,
               GIT_COMMITTER_NAME=AUTHOR_NAME,
               GIT_COMMITTER_EMAIL=AUTHOR_EMAIL,
               GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE)
    return subprocess.run(["git", "-C", repo, "-c", "core.autocrlf=false",
                           "-c", "commit.gpgsign=false"] + list(args),
                          check=True, env=env, text=True,
                          capture_output=True, **kw).stdout


def write_step_tree(steps, k, base, dest, files):
    """Make DEST hold every file of the series as it is after step K."""
    for rel in files:
        text = file_at_step(steps, k, rel)
        path = os.path.join(dest, rel)
        if text is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            write_if_changed(path, text.encode())
    glue = [g for s in steps[:k + 1] for g in s.glue]
    every = [t for g in all_glue(steps) for t in glue_targets(g)]
    with tempfile.TemporaryDirectory() as tmp:
        apply_glue(base, all_glue(steps), tmp)   # validates all of them
    with tempfile.TemporaryDirectory() as tmp:
        touched = apply_glue(base, glue, tmp)
        for rel in set(every):
            src = os.path.join(tmp if rel in touched else base, rel)
            with open(src, "rb") as f:
                write_if_changed(os.path.join(dest, rel), f.read())


def cmd_series(base, repo, out):
    steps = parse_plan()
    files = overlay_files()
    if os.path.exists(repo):
        shutil.rmtree(repo)
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "series")
    every = sorted(set(t for g in all_glue(steps) for t in glue_targets(g)))
    for rel in every:
        os.makedirs(os.path.dirname(os.path.join(repo, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(base, rel), os.path.join(repo, rel))
    if every:
        git(repo, "add", "--", *every)
    git(repo, "commit", "-q", "--allow-empty", "-m",
        "Debian linux-source-6.12 (files the series edits)")
    git(repo, "tag", "pristine")
    for k, s in enumerate(steps):
        write_step_tree(steps, k, base, repo, files)
        git(repo, "add", "-A", ".")
        msg = "%s\n\n%s\n\nSigned-off-by: %s <%s>\n" % (
            s.subject, "\n".join(s.body), AUTHOR_NAME, AUTHOR_EMAIL)
        git(repo, "commit", "-q", "--allow-empty", "-F", "-", input=msg)
    if os.path.exists(out):
        for f in os.listdir(out):
            if f.endswith(".patch"):
                os.unlink(os.path.join(out, f))
    os.makedirs(out, exist_ok=True)
    git(repo, "format-patch", "-q", "--cover-letter", "--no-signature",
        "--subject-prefix=PATCH", "-o", out, "pristine..HEAD")
    fill_cover_letter(out, steps)
    for f in sorted(os.listdir(out)):
        print(os.path.join(out, f))


def fill_cover_letter(out, steps):
    cover = os.path.join(out, "0000-cover-letter.patch")
    with open(os.path.join(PATCHES, "cover-letter.txt")) as f:
        text = f.read()
    subject, _, body = text.partition("\n\n")
    with open(cover) as f:
        letter = f.read()
    letter = letter.replace("*** SUBJECT HERE ***", subject.strip())
    letter = letter.replace("*** BLURB HERE ***", body.strip() +
                            "\n\nBased on Debian's linux-source-6.12"
                            " package, version 6.12.117-1~deb12u1.")
    with open(cover, "w") as f:
        f.write(letter)


def cmd_states(outdir, base):
    steps = parse_plan()
    files = overlay_files()
    for k in range(len(steps)):
        d = os.path.join(outdir, "%02d" % (k + 1))
        os.makedirs(d, exist_ok=True)
        write_step_tree(steps, k, base, d, files)


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd = sys.argv[1]
    if cmd == "prepare" and len(sys.argv) == 4:
        cmd_prepare(sys.argv[2], sys.argv[3])
    elif cmd == "series" and len(sys.argv) == 5:
        cmd_series(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "states" and len(sys.argv) == 4:
        cmd_states(sys.argv[2], sys.argv[3])
    elif cmd == "lint" and len(sys.argv) == 2:
        cmd_lint()
    else:
        die(__doc__)


if __name__ == "__main__":
    main()
