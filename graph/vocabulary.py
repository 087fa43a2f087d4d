"""Ecosystem vocabulary: a field's terms tied to the technology words agents describe themselves by.

A request says "goroutine", an agent says "Go"; a request says "Eloquent", an agent says
"Laravel". When a query holds one of the terms below, the lexical router adds its technology
words (the key) at a lower weight. Terms may be phrases; both go through the router's analyser.
Keep this general: whole ecosystems, never phrasings of particular requests.
"""

from __future__ import annotations

# technology words -> comma-separated ecosystem terms that imply them
_ECOSYSTEMS: dict[str, str] = {
    # languages and their frameworks
    "elixir phoenix": (
        "genserver, genservers, beam, otp, erlang, ecto, changeset, heex, liveview, live view, "
        "oban, absinthe, exunit, mix release, hex package, horde, libcluster, plug, cowboy, "
        "bandit, nerves, broadway, streamdata, dialyzer, credo, iex, supervision tree, phoenix "
        "pubsub, phoenix channels"
    ),
    "ruby rails": (
        "activerecord, active record, rspec, sidekiq, bundler, gemfile, rake, erb, hotwire, turbo, "
        "stimulus, devise, capybara, puma, actioncable"
    ),
    "php laravel": (
        "eloquent, artisan, blade, livewire, composer, phpunit, pest, inertia, nova, sanctum, "
        "symfony"
    ),
    "python django": "queryset, drf, django rest framework, django orm, wagtail",
    "python fastapi": "pydantic, uvicorn, starlette, sqlmodel",
    "python": (
        "pip, poetry, virtualenv, venv, asyncio, pytest, mypy, flask, celery, pyproject, cpython, "
        "gil"
    ),
    "react": (
        "jsx, tsx, usestate, useeffect, usememo, hooks, redux, zustand, react query, tanstack, "
        "rerender, re-render, props, suspense"
    ),
    "nextjs react": (
        "next.js, app router, pages router, getserversideprops, server components, server actions, "
        "vercel"
    ),
    "vue": "pinia, vuex, nuxt, composition api, options api, vite",
    "angular": "rxjs, ngrx, ngmodule, standalone components, angular cli",
    "typescript": (
        "tsconfig, mapped type, conditional type, generic type, keyof, infer, type guard, "
        "discriminated union, tsc, zod, utility types, type-level, type narrowing, union type, "
        "satisfies operator"
    ),
    "javascript": "npm, eslint, es modules, commonjs, promise, closure, ecmascript",
    "node": "express, nestjs, fastify, koa, event loop, libuv, npm, pm2",
    "go golang": (
        "goroutine, goroutines, gofmt, go.mod, errgroup, gin, echo framework, pprof, "
        "golangci-lint, cgo"
    ),
    "rust": (
        "borrow checker, lifetime, lifetimes, cargo, tokio, serde, clippy, rustc, ownership, axum, "
        "actix, unsafe rust, trait object"
    ),
    "java spring boot": (
        "spring, springboot, webflux, jpa, hibernate, jdbc, maven, gradle, jvm, "
        "nullpointerexception, project reactor, spring security, micronaut, quarkus"
    ),
    "kotlin android": "coroutines, ktor, jetpack compose, kmp, kotlin multiplatform",
    "swift ios": (
        "swiftui, uikit, xcode, core data, cocoapods, swift package manager, testflight, app "
        "store, objective-c, combine framework"
    ),
    "flutter dart": "dart, widget tree, riverpod, bloc, pubspec, provider package",
    "react native mobile": "expo, metro bundler, eas build, react native",
    "mobile ios android": "app store, play store, push notification, deep link",
    "csharp dotnet": (
        "c#, asp.net, entity framework, ef core, linq, nuget, blazor, razor, maui, minimal api"
    ),
    "cpp": (
        "c++, cmake, stl, raii, template metaprogramming, valgrind, segfault, unique_ptr, "
        "shared_ptr, std::vector, std::move, constexpr, rvalue, clang++, msvc, destructor"
    ),
    "embedded firmware microcontroller": (
        "freertos, rtos, stm32, arduino, esp32, nrf52, uart, spi, i2c, isr, interrupt, bare metal, "
        "zephyr, hal, gpio, dma, bootloader"
    ),
    "iot devices": "mqtt, lorawan, zigbee, coap, edge device, sensor, telemetry",
    "game": "unity, unreal, godot, shader, sprite, game loop, netcode",
    "blockchain smart contract": (
        "solidity, ethereum, web3, nft, defi, hardhat, foundry, evm, erc20"
    ),
    "electron desktop": "electron, tauri, ipc renderer, main process, desktop app",
    "cli command-line": "argparse, cobra, clap, terminal, shell completion, tui",
    # infrastructure and operations
    "kubernetes": (
        "pod, pods, helm, kubectl, kubelet, configmap, k8s, crashloopbackoff, oomkilled, hpa, "
        "readinessprobe, livenessprobe, readiness probe, liveness probe, ingress, statefulset, "
        "daemonset, kustomize, eks, gke, aks"
    ),
    "docker container": (
        "dockerfile, docker compose, multistage, multi-stage, container image, distroless, alpine "
        "image, buildkit, image size, oomkilled"
    ),
    "terraform infrastructure as code": (
        "hcl, tfstate, terraform module, terragrunt, opentofu, terraform plan, pulumi"
    ),
    "cloud": "aws, gcp, azure, lambda, s3, ec2, vpc, cloudformation",
    "ci cd deployment pipeline": (
        "github actions, gitlab ci, jenkins, argocd, canary, blue-green, rollback"
    ),
    "git": (
        "rebase, merge conflict, cherry-pick, branching strategy, pull request, gitflow, "
        "trunk-based, release branch, git hooks"
    ),
    "network": "tcp, dns, bgp, vpn, subnet, firewall, load balancer, packet",
    "sre reliability": "slo, slos, sli, slis, sla, error budget, toil, on-call, uptime",
    "incident outage breach": (
        "sev1, pagerduty, postmortem, war room, compromised, forensics, indicators of compromise, "
        "downtime, bad gateway, prod down, production down, site down, service down, server down"
    ),
    "chaos resilience": (
        "game day, fault injection, chaos monkey, litmus, gremlin, failover, availability zone"
    ),
    "performance bottleneck": (
        "p99, p95, latency, flame graph, profiler, profiling, throughput, load test, k6, jmeter, "
        "bottleneck"
    ),
    "microservices": "service mesh, istio, saga, event sourcing, cqrs, linkerd",
    "platform": "backstage, internal developer platform, golden path, self-service",
    "build system compilation": (
        "bazel, webpack, esbuild, vite, rollup, turborepo, nx, build cache, compile time, "
        "incremental build, gradle build, msbuild"
    ),
    "dependency": (
        "dependabot, renovate, semver, lockfile, package-lock, version conflict, npm audit, "
        "pip-audit, transitive dependency"
    ),
    # data, machine learning, AI
    "sql": (
        "window function, window functions, cte, join, mysql, sql server, t-sql, pl/sql, stored "
        "procedure"
    ),
    "postgresql postgres": (
        "psql, vacuum, autovacuum, bloat, wraparound, mvcc, wal, pgbouncer, postgis, jsonb, "
        "pg_stat_statements"
    ),
    "database query optimization index": (
        "explain analyze, query plan, seq scan, slow query, deadlock, missing index"
    ),
    "database administration replication": "sharding, read replica, high availability, pitr",
    "graphql": (
        "apollo, subgraph, subgraphs, supergraph, resolver, resolvers, dataloader, relay, "
        "absinthe, schema stitching"
    ),
    "websocket real-time": "socket.io, websockets, server-sent events, long polling",
    "data pipeline etl orchestration": (
        "airflow, spark, kafka, dbt, etl, elt, snowflake, bigquery, databricks, data lake, flink"
    ),
    "data analysis statistical insights": (
        "pandas, jupyter, regression, hypothesis test, tableau, power bi, looker, cohort, kpi, "
        "statistical significance, p-value, confidence interval, t-test"
    ),
    "machine learning model": (
        "pytorch, tensorflow, keras, scikit-learn, sklearn, xgboost, triton, torchserve, onnx, "
        "model serving, cuda, inference, classification, prediction, predictive, "
        "forecasting, feature engineering, training data"
    ),
    "mlops": "mlflow, kubeflow, feature store, model registry, sagemaker, vertex ai",
    "llm": (
        "rag, embeddings, vector database, langchain, gpt, fine-tuning, lora, vllm, hallucination"
    ),
    "nlp": "tokenization, named entity, sentiment, spacy, hugging face, bert",
    "prompt": "few-shot, chain of thought, system prompt",
    "mcp": "model context protocol, mcp server",
    # quality, security, compliance
    "security vulnerability threat": (
        "owasp, xss, csrf, ssrf, sql injection, sqli, rce, cve, pentest, exploit, burp, nmap, "
        "metasploit, privilege escalation, vuln, brute force, idor, xxe, path traversal, command "
        "injection"
    ),
    "penetration testing": (
        "pentest, pen test, pentesting, pentester, red team, exploit, idor, ssrf"
    ),
    "compliance audit regulatory": "soc 2, soc2, hipaa, iso 27001, pci dss, gdpr, ccpa",
    "gdpr ccpa privacy": (
        "erasure, dpia, dsar, data subject, "
        "cookie consent, cookie banner, personal data, pii, privacy policy, dpo"
    ),
    "accessibility": "wcag, aria, screen reader, a11y, voiceover, nvda, keyboard navigation",
    "payment": "stripe, paypal, braintree, adyen, pci, chargeback, refund, billing",
    "fintech financial": "ledger, double-entry, kyc, aml, banking, reconciliation",
    "test automation automator": (
        "selenium, cypress, playwright, jest, flaky test, e2e, end-to-end test"
    ),
    "qa quality assurance": "test plan, test cases, regression testing, bug report",
    "debug debugger": (
        "stack trace, backtrace, traceback, core dump, gdb, lldb, breakpoint, heisenbug, crash, "
        "git bisect"
    ),
    "refactoring": (
        "code smell, extract method, duplicated code, god class, single responsibility, spaghetti "
        "code"
    ),
    "legacy modernization": "cobol, mainframe, strangler fig, jquery, monolith",
    # product, design, writing
    "product": "roadmap, prd, user stories, okr, prioritization, backlog",
    "ui design": (
        "figma, design system, tailwind, dark mode, typography, color palette, mockup, wireframe"
    ),
    "seo search": (
        "serp, meta tags, sitemap, schema.org, core web vitals, backlinks, canonical tag, search "
        "console, googlebot, robots.txt, noindex, crawl budget, rich snippets"
    ),
    "documentation docs": "docusaurus, mkdocs, sphinx, readme, swagger, openapi",
    "api design rest": "openapi, rest api, pagination, hateoas, grpc, api versioning",
}

# Source file extensions: how a pasted path or stack frame ("src/cache.rs:42") names its language.
_FILE_EXTENSIONS: dict[str, str] = {
    "rust": "rs",
    "python": "py, pyi",
    "elixir phoenix": "ex, exs, heex",
    "ruby rails": "rb, erb",
    "kotlin": "kt, kts",
    "flutter dart": "dart",
    "csharp dotnet": "cs, csproj",
    "cpp": "cpp, hpp, cc, cxx",
    "typescript": "ts, tsx",
    "javascript": "js, mjs, cjs, jsx",
    "solidity": "sol",
    "terraform": "tf, tfvars",
}


def ecosystem_terms() -> dict[str, tuple[str, ...]]:
    """Each ecosystem term -> the technology words it implies (a term may imply several)."""
    implied: dict[str, list[str]] = {}
    for technology, terms in [*_ECOSYSTEMS.items(), *_FILE_EXTENSIONS.items()]:
        for term in terms.split(","):
            implied.setdefault(term.strip(), []).append(technology)
    return {term: tuple(technologies) for term, technologies in implied.items()}
