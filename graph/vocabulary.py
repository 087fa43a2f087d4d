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

# What a developer of an ecosystem pastes or types without naming it: API, hook and class names,
# error codes, CLI commands, config files, libraries. Written lower case, a compound as one word
# ("useeffect" meets "useEffect"; "ng" meets the part of "NG0100", "ngOnInit", "ng serve"); an
# identifier with "_" or "." is a phrase of its words ("pg_dump": pg, dump). Only names specific
# to their ecosystem: words many agents share, and English words a greeting or a question about
# cooking could hold ("truffle", "squash", "anyhow"), are left out.
_ECOSYSTEM_APIS: dict[str, str] = {
    "elixir phoenix": (
        "phx, genstage, dynamicsupervisor, gen_statem, handle_info, handle_cast, handle_call, "
        "mnesia, ets table, swoosh, livebook, dialyxir, rebar3, ash framework"
    ),
    "ruby rails": (
        "activejob, actionmailer, actioncontroller, activestorage, activesupport, actionview, "
        "activemodel, actiontext, strong parameters, strong params, counter_cache, factory_bot, "
        "factorybot, minitest, rubocop, rbenv, rubygems, gemspec, irb, byebug, bundle exec, "
        "rackup, rack middleware, nilclass, nomethoderror, bullet gem, cancancan, kaminari, "
        "resque, solid_queue, kamal, capistrano, zeitwerk, webpacker, activeadmin, haml, "
        "turbo_stream, rails console"
    ),
    "php laravel": (
        "hasmany, belongsto, belongstomany, hasone, morphto, morphmany, illuminate, jetstream, "
        "socialite, filament, php artisan, laravel sail, laravel forge, laravel vapor, laravel "
        "horizon, laravel telescope, laravel octane, route model binding, "
        "maxattemptsexceededexception, modelnotfoundexception, tokenmismatchexception, "
        "queryexception"
    ),
    "php": (
        "psr-4, psr-12, phpstan, xdebug, opcache, php-fpm, wordpress, drupal, doctrine orm, "
        "monolog, pecl"
    ),
    "python django": (
        "select_related, prefetch_related, manage.py, makemigrations, showmigrations, sqlmigrate, "
        "collectstatic, runserver, django-admin, modeladmin, modelserializer, viewset, viewsets, "
        "settings.py, urls.py, models.py, doesnotexist, multipleobjectsreturned, "
        "improperlyconfigured, foreignkey, manytomanyfield, charfield, modelform, django channels, "
        "list_display, list_filter, list_select_related, search_fields, readonly_fields, "
        "raw_id_fields, tabularinline, stackedinline, admin.py, debug toolbar, "
        "django-debug-toolbar, django-extensions, django-filter, django-allauth, django-storages, "
        "django-ninja, djoser"
    ),
    "python fastapi": "apirouter, basemodel, field_validator, model_validator, backgroundtasks",
    "python": (
        "dataclass, dataclasses, typeddict, namedtuple, list comprehension, f-string, "
        "requirements.txt, setup.py, conda, pyenv, pipenv, ruff, flake8, pylint, isort, tox, "
        "setuptools, nonetype, modulenotfounderror, importerror, keyerror, indentationerror, "
        "attributeerror, valueerror, zerodivisionerror, sqlalchemy, alembic, gunicorn, wsgi, asgi, "
        "functools, itertools, metaclass, multiprocessing, numpy"
    ),
    "react": (
        "usereducer, usecontext, useref, usecallback, uselayouteffect, useimperativehandle, "
        "usetransition, usedeferredvalue, usesyncexternalstore, useid, useoptimistic, "
        "useactionstate, useformstatus, forwardref, createcontext, createportal, strictmode, "
        "usequery, usemutation, usenavigate, useparams, uselocation, react-router, react-dom, "
        "useselector, usedispatch, createslice, configurestore, rtk query, react-hook-form, "
        "formik, styled-components, material ui, mui, jotai, mobx, componentdidmount, "
        "componentwillunmount, error boundary, errorboundary, prop drilling, key prop, "
        "exhaustive-deps, create-react-app"
    ),
    "nextjs react": (
        "getstaticprops, getstaticpaths, getinitialprops, revalidatepath, revalidatetag, "
        "generatestaticparams, generatemetadata, usesearchparams, route handlers, "
        "incremental static regeneration, turbopack, nextauth, next-auth"
    ),
    "vue": (
        "v-model, v-if, v-for, v-bind, v-on, v-show, v-slot, defineprops, defineemits, "
        "definemodel, defineexpose, watcheffect, onmounted, nexttick, vue-router, useroute, "
        "single file component, script setup, vuetify, useasyncdata, definepagemeta, vitepress, "
        "volar"
    ),
    "angular": (
        "ng, ngoninit, ngondestroy, ngonchanges, ngafterviewinit, ngfor, ngif, ngmodel, ngclass, "
        "ngswitch, ngzone, ngx, ng-template, ng-container, ng-content, zone.js, zonejs, "
        "changedetectorref, changedetectionstrategy, onpush, activatedroute, routerlink, "
        "router-outlet, formgroup, formcontrol, formbuilder, formcontrolname, async pipe, "
        "switchmap, mergemap, concatmap, exhaustmap, combinelatest, behaviorsubject, takeuntil, "
        "takeuntildestroyed, expressionchangedafterithasbeencheckederror, nullinjectorerror"
    ),
    "typescript": (
        "definitelytyped, strictnullchecks, noimplicitany, type assertion, type predicate, "
        "template literal type, ts-node"
    ),
    "javascript": (
        "yarn, pnpm, npx, nvm, hoisting, addeventlistener, queryselector, settimeout, setinterval, "
        "json.parse, read properties undefined, referenceerror, es6, esm, weakmap, "
        "structuredclone, deno"
    ),
    "node": (
        "yarn, pnpm, npx, nvm, node_modules, package.json, module.exports, eventemitter, "
        "child_process, nodemon, econnrefused, eaddrinuse, err_require_esm, "
        "unhandledpromiserejection, clinic.js, prisma, typeorm, sequelize, mongoose, bullmq, pino, "
        "deno"
    ),
    "go golang": (
        "go mod, go.sum, waitgroup, rwmutex, chan, nil pointer dereference, gorm, gorilla mux, "
        "pgx, go vet, staticcheck, govulncheck, dlv, gopls, race detector, gomaxprocs, errorf, "
        "handlerfunc, goreleaser"
    ),
    "rust": (
        "rustup, crate, crates, cargo.toml, crossbeam, thiserror, reqwest, wasm-bindgen, "
        "wasm-pack, refcell, dyn, unwrap, miri, e0382, e0499, e0502, e0505, e0506, e0507, e0515, "
        "e0597, e0716, e0277, e0308, e0599, e0425, e0433, e0432, e0412, e0373, e0596, e0384, e0038"
    ),
    "java spring boot": (
        "autowired, restcontroller, requestmapping, getmapping, postmapping, applicationcontext, "
        "beancreationexception, unsatisfieddependencyexception, nosuchbeandefinitionexception, "
        "lazyinitializationexception, application.properties, application.yml, jparepository, "
        "spring data, thymeleaf, resttemplate, openfeign"
    ),
    "java": (
        "pom.xml, mvn, junit, mockito, assertj, lombok, objectmapper, classnotfoundexception, "
        "noclassdeffounderror, outofmemoryerror, stackoverflowerror, "
        "concurrentmodificationexception, illegalargumentexception, classcastexception, jdk, jre, "
        "openjdk, g1gc, zgc, tomcat, jetty, wildfly, jboss"
    ),
    "kotlin android": (
        "viewmodelscope, lifecyclescope, livedata, stateflow, sharedflow, mutablestateflow, "
        "repeatonlifecycle, launchedeffect, mutablestateof, remembersaveable, recomposition, hilt, "
        "room database, okhttp, androidmanifest, anr, logcat, adb, apk, aab, proguard, "
        "recyclerview, viewbinding, workmanager, suspend fun, coroutinescope, dispatchers, "
        "withcontext, kotlinx, lateinit, jetpack, ktlint, detekt, koin"
    ),
    "swift ios": (
        "observedobject, stateobject, environmentobject, observableobject, mainactor, sendable, "
        "uiviewcontroller, viewcontroller, uitableview, uicollectionview, navigationstack, "
        "navigationview, plist, xcodebuild, provisioning profile, swiftdata, podfile, "
        "dispatchqueue, urlsession, exc_bad_access, dyld, app transport security, storekit, "
        "healthkit, arkit, mapkit, cloudkit, widgetkit, swiftlint"
    ),
    "flutter dart": (
        "statelesswidget, statefulwidget, buildcontext, renderflex, pub.dev, getx, cupertino, "
        "materialapp, inheritedwidget, changenotifier, hot restart, dart:io, impeller, gorouter, "
        "cubit"
    ),
    "react native mobile": (
        "react-navigation, flatlist, touchableopacity, stylesheet.create, asyncstorage, "
        "reanimated, turbomodule, turbomodules, jsi, safeareaview, eas update"
    ),
    "mobile ios android": (
        "universal links, app links, fcm, apns, firebase cloud messaging, crashlytics, codepush, "
        "fastlane"
    ),
    "csharp dotnet": (
        "dbcontext, iactionresult, actionresult, iservicecollection, addscoped, addsingleton, "
        "addtransient, appsettings, xunit, nunit, mstest, moq, automapper, mediatr, serilog, "
        "dapper, hangfire, signalr, iqueryable, ienumerable, configureawait, kestrel, wpf, "
        "winforms, xamarin, nullreferenceexception, invalidoperationexception, "
        "objectdisposedexception, netsdk, msb, sln, roslyn, ilogger, ioptions, ihttpclientfactory"
    ),
    "cpp": (
        "std::unordered_map, std::optional, std::variant, std::cout, iostream, "
        "undefined reference, vtable, sfinae, move semantics, lvalue, nullptr, asio, qt, vcpkg, "
        "gcc, clang, clang-tidy, address sanitizer, asan, ubsan"
    ),
    "embedded firmware microcontroller": (
        "cortex-m, jtag, swd, openocd, st-link, watchdog timer, hardfault, hard fault, "
        "linker script, vector table, adc, pwm, canbus, platformio, esp-idf, rp2040, keil, cmsis"
    ),
    "iot devices": (
        "aws iot, iot hub, greengrass, thingsboard, node-red, home assistant, modbus, opc ua, ble, "
        "bluetooth low energy, mosquitto, emqx, hivemq, digital twin, nb-iot"
    ),
    "game": (
        "monobehaviour, gameobject, prefab, rigidbody, collider, navmesh, ue5, ue4, gdscript, "
        "draw call, draw calls, opengl, vulkan, directx, webgl, three.js, tilemap, hlsl, glsl, "
        "steamworks, hitbox"
    ),
    "blockchain smart contract": (
        "reentrancy, erc721, erc1155, gas limit, ethers.js, metamask, openzeppelin, uniswap, "
        "solana, chainlink, ipfs, merkle tree, msg.sender, dapp, dapps"
    ),
    "electron desktop": (
        "contextisolation, contextbridge, nodeintegration, preload script, preload.js, "
        "browserwindow, ipcmain, ipcrenderer, webcontents, electron-builder, electron-forge, "
        "autoupdater, asar, nw.js"
    ),
    "cli command-line": (
        "typer, commander.js, yargs, oclif, inquirer, picocli, ncurses, bubbletea, ratatui, "
        "subcommand, subcommands, man page, bash completion, zsh completion, getopt"
    ),
    "kubernetes": (
        "nodeselector, taint, taints, toleration, tolerations, node affinity, pod affinity, "
        "imagepullbackoff, errimagepull, pvc, persistentvolumeclaim, persistentvolume, "
        "storageclass, clusterrole, rolebinding, clusterrolebinding, networkpolicy, "
        "poddisruptionbudget, replicaset, kube, etcd, coredns, cni, cilium, karpenter, "
        "cluster autoscaler, keda, minikube, k3s, kubeconfig, crd, customresourcedefinition, "
        "admission webhook, init container, initcontainers"
    ),
    "docker container": (
        "docker-compose, entrypoint, dockerignore, buildx, bind mount, podman, containerd, hadolint"
    ),
    "terraform infrastructure as code": (
        "tflint, tfsec, checkov, atlantis, terraform cloud, cdktf, terratest"
    ),
    "cloud": (
        "iam role, iam policy, cloudwatch, route53, cloudfront, dynamodb, sqs, sns, fargate, "
        "cloud run, cosmos db, cosmosdb, arn, boto3, finops"
    ),
    "ci cd deployment pipeline": (
        "workflow_dispatch, gitlab-ci, circleci, travis ci, buildkite, teamcity, spinnaker, "
        "fluxcd, tekton, jenkinsfile, argo rollouts"
    ),
    "git": (
        "reflog, detached head, submodule, submodules, worktree, gitignore, fast-forward, "
        "codeowners, force push"
    ),
    "network": (
        "mtu, ospf, vlan, nat gateway, cidr, traceroute, tcpdump, wireshark, ipsec, wireguard, "
        "iptables, dhcp, arp"
    ),
    "monitoring observability": (
        "prometheus, grafana, promql, alertmanager, opentelemetry, datadog, jaeger, new relic"
    ),
    "incident outage": "mttr, mttd, rca",
    "performance bottleneck": "gatling, pyroscope, async-profiler, apm",
    "microservices": (
        "circuit breaker pattern, outbox pattern, service discovery, consul, envoy proxy, "
        "bounded context, two-phase commit, resilience4j"
    ),
    "platform": "paved road, scaffolder, crossplane",
    "build system compilation": (
        "ccache, sccache, remote cache, remote execution, tree shaking, source map, source maps, "
        "hmr, swc, code splitting, lerna, ninja build"
    ),
    "dependency": (
        "peer dependency, eresolve, yarn.lock, poetry.lock, cargo.lock, gemfile.lock, sbom, "
        "diamond dependency, pip-compile, pip-tools"
    ),
    "sql": (
        "oracle database, oracle db, mariadb, innodb, mysqldump, ora, sqlite, ssms, dense_rank, "
        "coalesce, upsert"
    ),
    "postgresql postgres": (
        "gin index, pg, idle in transaction, shared_buffers, work_mem, timescaledb, citus, "
        "patroni, pgvector, logical replication, streaming replication, plpgsql, brin, "
        "hot standby, repmgr, pgbackrest, wal-g, ctid"
    ),
    "database": "mongodb, mongo, cassandra, cockroachdb, couchbase, neo4j, clickhouse",
    "graphql": "graphql-ws, hasura, gql, persisted queries, urql, graphene",
    "websocket real-time": "ws, pusher, centrifugo, webrtc, signalr",
    "data pipeline etl orchestration": (
        "parquet file, amazon redshift, pyspark, dagster, prefect, kinesis, debezium, fivetran, "
        "airbyte, delta lake, apache iceberg, avro, hadoop, hdfs, medallion architecture, "
        "slowly changing dimension"
    ),
    "data analysis statistical insights": (
        "matplotlib, seaborn, plotly, dataframe, pivot table, vlookup, anova, chi-square, "
        "r-squared, dax, metabase"
    ),
    "machine learning model": (
        "overfitting, underfitting, hyperparameter, hyperparameters, gradient descent, "
        "backpropagation, cross-validation, random forest, logistic regression, lightgbm, "
        "catboost, nn.module, loss function, learning rate, tensor, tensors, jax, optuna, shap, "
        "class imbalance, smote, confusion matrix, roc auc, tensorrt, quantization"
    ),
    "mlops": (
        "model drift, data drift, wandb, weights biases, dvc, bentoml, seldon, kserve, ray serve"
    ),
    "llm": (
        "openai api, anthropic, mistral, ollama, llamaindex, pinecone, weaviate, qdrant, faiss, "
        "pgvector, context window, function calling, tool calling, reranker, reranking, qlora, "
        "peft, rlhf, gguf, kv cache, semantic search, chunking, chunk size, vector store, "
        "vector db, embedding model, chatbot, retrieval-augmented generation, llm evals, "
        "llm-as-a-judge, prompt caching, langgraph, langsmith, crewai, autogen, dspy, ragas, "
        "agentic, openai"
    ),
    "nlp": (
        "ner, tokenizer, nltk, gensim, word2vec, tf-idf, tfidf, lemmatization, stemming, "
        "sentencepiece, topic modeling, machine translation, text classification"
    ),
    "prompt": "zero-shot, prompt template, prompt injection",
    "mcp": "fastmcp",
    "security vulnerability threat": (
        "content security policy, sast, dast, snyk, trivy, semgrep, hashicorp vault, bcrypt, "
        "argon2, mtls, zero trust, siem, cvss, cwe, mitre, ransomware, phishing, malware"
    ),
    "penetration testing": "nessus, owasp zap, sqlmap, gobuster, ffuf, bug bounty, hashcat, kali",
    "compliance audit regulatory": "nist, fedramp, sox, hitrust",
    "gdpr ccpa privacy": (
        "lgpd, pipeda, cpra, data processing agreement, standard contractual clauses, sccs, ropa, "
        "consent management"
    ),
    "accessibility": (
        "alt text, focus trap, tab order, color contrast, contrast ratio, axe-core, talkback"
    ),
    "payment": (
        "paymentintent, payment intent, setupintent, checkout session, 3ds, 3d secure, "
        "strong customer authentication, klarna, apple pay, google pay, psp, dunning, chargebee, "
        "recurly, merchant"
    ),
    "fintech financial": "ach, sepa, wire transfer, fix protocol, open banking, psd2, nacha",
    "test automation automator": (
        "webdriver, appium, testcafe, puppeteer, vitest, page object, testcontainers, wiremock, "
        "mutation testing"
    ),
    "qa quality assurance": (
        "test strategy, exploratory testing, smoke test, uat, testrail, bug triage"
    ),
    "debug debugger": (
        "segmentation fault, heap corruption, strace, ltrace, dtrace, windbg, printf debugging"
    ),
    "refactoring": (
        "extract class, inline method, long method, feature envy, shotgun surgery, magic numbers, "
        "dead code, cyclomatic complexity, solid principles"
    ),
    "legacy modernization": (
        "vb6, visual basic, struts, ejb, j2ee, angularjs, backbone.js, webforms, silverlight"
    ),
    "architecture review": (
        "architecture decision record, adr, c4 model, hexagonal architecture, clean architecture"
    ),
    "chaos resilience": "toxiproxy, chaos mesh, litmuschaos, blast radius",
    "error log": "sentry, kibana, splunk, logstash, elk stack",
    "product": (
        "jtbd, rice scoring, moscow prioritization, north star metric, product-market fit, "
        "user interviews, nps"
    ),
    "ui design": (
        "design tokens, auto layout, adobe xd, zeplin, material design, "
        "human interface guidelines, kerning"
    ),
    "seo search": (
        "schema markup, hreflang, json-ld, ahrefs, semrush, keyword research, open graph, "
        "pagespeed, disavow, screaming frog"
    ),
    "documentation docs": (
        "docs-as-code, mdx, typedoc, javadoc, jsdoc, doxygen, readthedocs, redoc, docstring, "
        "docstrings, diataxis"
    ),
    "api design rest": "etag, protobuf, asyncapi",
}

# How people describe the work of the less technical roles and practices in plain words, without
# a tool's name ("user interviews", "on-call rotation", "tech debt", "flaky pipeline"), tied to the
# words those agents describe themselves by. Only phrases specific to one practice.
_PRACTICES: dict[str, str] = {
    "product": (
        "feature request, feature requests, product requirements, acceptance criteria, "
        "go-to-market, product discovery, customer feedback, market research, competitive "
        "analysis, value proposition, mvp, product vision, product strategy"
    ),
    "ui design": (
        "ux, user experience, usability testing, user flow, user flows, user research, personas, "
        "user journey, journey map, information architecture, visual hierarchy, iconography, "
        "microinteractions, hi-fi, lo-fi, empty state, onboarding flow"
    ),
    "documentation docs": (
        "release notes, changelog, user guide, user manual, how-to guide, "
        "api reference, docs site, knowledge base, troubleshooting guide"
    ),
    "accessibility": (
        "blind users, visually impaired, low vision, color blind, colour blind, colour contrast, "
        "keyboard-only, keyboard users, focus indicator, skip link, ada compliance, section 508, "
        "assistive technology, reduced motion"
    ),
    "compliance audit regulatory": (
        "audit trail, audit evidence, auditor, auditors, risk register, security questionnaire, "
        "vendor assessment, regulator, regulators"
    ),
    "gdpr ccpa privacy": (
        "data retention, opt-out, tracking cookies, "
        "anonymisation, anonymization, pseudonymisation, pseudonymization, data protection, "
        "data processor, data controller, subject access request"
    ),
    "security vulnerability threat": (
        "leaked credentials, leaked api key, secret scanning, hardening, attack surface, threat "
        "model, threat modeling, least privilege, mfa, 2fa, two-factor, intrusion detection, "
        "patch management, vulnerability scan, secret rotation"
    ),
    "data analysis statistical insights": (
        "ab test, ab testing, split test, conversion rate, funnel analysis, retention rate, churn "
        "rate, spreadsheet, spreadsheets, excel, google sheets, descriptive statistics, trend "
        "analysis"
    ),
    "sre reliability": (
        "on-call rotation, pager, alert fatigue, runbook, runbooks, blameless, status page, mttr, "
        "mttd, escalation policy, opsgenie, capacity planning"
    ),
    "incident outage breach": (
        "incident commander, incident review, post-mortem, sev2, root cause analysis, rca"
    ),
    "qa quality assurance": (
        "manual testing, regression suite, test scenarios, acceptance testing, release sign-off, "
        "bug bash, defect, defects, defect rate, quality gates"
    ),
    "architecture review": (
        "system design, trade-offs, tradeoffs, single point of failure, design doc, technical "
        "design document, event-driven architecture, modular monolith, bounded context, "
        "domain-driven design, ddd"
    ),
    "refactoring": (
        "messy code, unreadable, readability, maintainability, deeply nested, nested "
        "conditionals, code duplication, copy-pasted, code cleanup, long function"
    ),
    "legacy modernization": (
        "tech debt, technical debt, legacy code, legacy system, old codebase, end-of-life, eol, "
        "outdated framework, classic asp, big rewrite"
    ),
    "dependency": (
        "outdated dependencies, dependency hell, peer dependency, peer dependencies, yarn.lock, "
        "pnpm, lock file, supply chain, sbom"
    ),
    "git": (
        "force push, force-push, squash commits, interactive rebase, detached head, commit "
        "history, commit message, commit messages, branch protection, codeowners, git lfs, "
        "submodule, submodules, reflog, amend"
    ),
    "ci cd deployment pipeline": (
        "flaky pipeline, slow pipeline, ci pipeline, pipeline failing, release pipeline, "
        "circleci, travis ci, buildkite, teamcity"
    ),
    "build system compilation": (
        "build times, slow builds, slow build, build artifacts, nightly build"
    ),
    "cloud": (
        "disaster recovery, multi-region, multi-az, cross-region, pilot light, warm standby, "
        "active-active, active-passive, cloud costs, cloud bill, egress costs, cloud migration"
    ),
    "performance bottleneck": (
        "page load, slow page, response time, response times, memory leak, cpu usage, high cpu, "
        "slow endpoint, sluggish, laggy"
    ),
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
    sources = [_ECOSYSTEMS, _ECOSYSTEM_APIS, _PRACTICES, _FILE_EXTENSIONS]
    for technology, terms in (item for source in sources for item in source.items()):
        for term in terms.split(","):
            implied.setdefault(term.strip(), []).append(technology)
    return {term: tuple(technologies) for term, technologies in implied.items()}
