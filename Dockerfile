FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HB_DATA_DIR=/var/lib/hb
WORKDIR /app
COPY pyproject.toml README.md piccolo_conf.py ./
COPY core ./core
COPY marketplace ./marketplace
COPY voucher ./voucher
COPY search ./search
COPY admin ./admin
COPY hb ./hb
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/hb hb && mkdir -p /var/lib/hb && chown hb /var/lib/hb
USER hb
EXPOSE 8000
CMD ["sh", "-c", "hb migrate && hb serve --host 0.0.0.0 --port 8000"]
