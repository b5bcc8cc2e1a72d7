# Province & Comuni — the product image. With MONGODB_URI set (as in docker-compose.yml)
# it needs no Go toolchain: the embedded FerretDB is only for machines without MongoDB.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ZEEBE_ADDRESS=0.0.0.0:26500

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN node --import tsx scripts/build-bundles.ts
COPY processes ./processes
COPY forms ./forms
COPY engine-config ./engine-config

USER node
EXPOSE 3000 26500
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
