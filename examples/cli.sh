#!/bin/sh
# The command line: generate an image, then edit it, writing both to files.
#
#   ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 sh examples/cli.sh
#
# `python -m orq_images` is the same program as the `orq-images` console script.
set -eu
python="${PYTHON:-python3}"
"$python" -m orq_images generate "a red fox in the snow" -m openai/gpt-image-1 -o fox.png
"$python" -m orq_images edit fox.png "give the fox a red woollen hat" -m openai/gpt-image-1 -o fox-hat.png
