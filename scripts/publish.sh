#!/bin/sh
# Publish dist/ to PyPI, or TestPyPI, only after every check has passed. Run through `make publish`, which
# passes the commands below; each can be replaced on the make command line (that is how the refusals are tested
# without uploading anything):
#
#   PUBLISH_REPOSITORY   pypi (default) or testpypi
#   CHECK_GENERATED_CMD  fails when generated/ is not what the pipeline produces   (make check-generated)
#   TEST_CMD             the whole test suite                                       (make test)
#   BUILD_CMD            writes the sdist and the wheel to dist/ and checks them    (make build)
#   UPLOAD_CMD           uploads dist/* with twine                                  (twine upload)
#
#   scripts/publish.sh guard-clean   only checks that the work tree is clean
#
# Credentials come from the environment only: TWINE_PASSWORD (a PyPI API token) and TWINE_USERNAME
# (default __token__). No .pypirc is read: the repository is given to twine as a URL.
set -eu

refuse() {
    echo "refusing to publish: $*" >&2
    exit 1
}

fail() {
    echo "publish failed: $*" >&2
    exit 1
}

step() {
    echo "publish: $*" >&2
}

guard_clean() {
    git rev-parse --is-inside-work-tree >/dev/null 2>&1 || refuse "not inside a git work tree"
    git rev-parse --verify --quiet HEAD >/dev/null || refuse "the repository has no commit"
    status=$(git status --porcelain --untracked-files=normal) || refuse "git status failed"
    if [ -n "$status" ]; then
        echo "$status" | head -n 20 >&2
        refuse "the work tree is dirty (commit or stash the changes above first)"
    fi
}

if [ "${1:-}" = "guard-clean" ]; then
    guard_clean
    exit 0
fi

: "${PUBLISH_REPOSITORY:=pypi}"
: "${CHECK_GENERATED_CMD:?CHECK_GENERATED_CMD is not set (run this through make publish)}"
: "${TEST_CMD:?TEST_CMD is not set (run this through make publish)}"
: "${BUILD_CMD:?BUILD_CMD is not set (run this through make publish)}"
: "${UPLOAD_CMD:?UPLOAD_CMD is not set (run this through make publish)}"

case "$PUBLISH_REPOSITORY" in
    pypi) repository_url="https://upload.pypi.org/legacy/" ;;
    testpypi) repository_url="https://test.pypi.org/legacy/" ;;
    *) refuse "unknown REPOSITORY '$PUBLISH_REPOSITORY' (use pypi or testpypi)" ;;
esac

guard_clean
[ -n "${TWINE_PASSWORD:-}" ] || refuse "TWINE_PASSWORD is not set (export an API token for $PUBLISH_REPOSITORY)"

step "checking that generated/ is up to date"
sh -c "$CHECK_GENERATED_CMD" || refuse "generated/ differs from what the pipeline produces (run make generate)"

step "running the tests"
sh -c "$TEST_CMD" || refuse "the tests failed"

step "building dist/"
sh -c "$BUILD_CMD" || refuse "the build failed"

# The checks and the build must not have changed anything that is committed.
guard_clean

step "uploading dist/ to $repository_url"
TWINE_REPOSITORY_URL=$repository_url
TWINE_USERNAME=${TWINE_USERNAME:-__token__}
TWINE_NON_INTERACTIVE=1
export TWINE_REPOSITORY_URL TWINE_USERNAME TWINE_NON_INTERACTIVE
unset TWINE_REPOSITORY
sh -c "$UPLOAD_CMD" || fail "twine upload failed (nothing or only part of dist/ may be on $PUBLISH_REPOSITORY)"
step "done"
