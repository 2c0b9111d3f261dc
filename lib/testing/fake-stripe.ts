// A local HTTP server that speaks the subset of Stripe's REST API that Trellis uses, so the real
// `stripe` SDK can be pointed at it (host, port, protocol): customers, Checkout sessions, the
// customer portal, subscriptions, Billing Meter events. Like Stripe it wants a Bearer secret
// key, form-encoded bodies with bracketed keys, answers with JSON objects carrying an `object`
// field and errors in Stripe's `{ error: { type, code, message, param } }` shape, and replays
// the first answer for a repeated Idempotency-Key. It also serves a tiny Checkout page and a
// portal page for browsers, makes subscriptions change the way Stripe's billing would, builds
// the events Stripe would send, and signs and delivers them to a webhook endpoint.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export const FAKE_STRIPE_KEY = "sk_test_51TrellisFakeKey0000000000000000000000";
export const FAKE_STRIPE_WEBHOOK_SECRET = "whsec_trellis_fake_webhook_secret_0000";
export const FAKE_PRICE_PRO = "price_1TrellisPro";
export const FAKE_PRICE_TEAM = "price_1TrellisTeam";
export const FAKE_METER_EVENT = "trellis_agent_tokens";

type Json = Record<string, unknown>;

/** A Stripe API object as the fake keeps it: JSON with `id` and `object`. */
export type FakeObject = Json & { id: string; object: string };

/** An event as Stripe sends it to a webhook endpoint. */
export interface FakeEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: Json; previous_attributes?: Json };
}

export interface FakeStripeRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The decoded form body (POST) or query (GET). */
  params: Json;
}

export interface FakeMeterEvent {
  event_name: string;
  identifier: string;
  timestamp: number;
  payload: Record<string, string>;
}

export interface FakeStripe {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  protocol: "http";
  secretKey: string;
  webhookSecret: string;
  /** Environment for lib/env.ts that points Trellis at this server. */
  env: Record<string, string>;
  /** Every API request received (not the browser pages), in order. */
  requests: FakeStripeRequest[];
  customers: Map<string, FakeObject>;
  subscriptions: Map<string, FakeObject>;
  checkoutSessions: Map<string, FakeObject>;
  /** Meter events accepted (replays of an idempotent request are not added twice). */
  meterEvents: FakeMeterEvent[];
  /** Where completed checkouts and delivered events go (a webhook endpoint URL). */
  webhookUrl: string | undefined;
  /** Pays a Checkout session: a subscription exists from now on. Returns the events Stripe would send. */
  completeCheckout(sessionId: string): FakeEvent[];
  /** Changes a subscription (status, price) as Stripe's billing would; returns customer.subscription.updated. */
  updateSubscription(id: string, changes: { status?: string; price?: string }): FakeEvent;
  /** Cancels a subscription now; returns customer.subscription.deleted. */
  cancelSubscription(id: string): FakeEvent;
  /** A renewal payment fails: past_due; returns invoice.payment_failed and customer.subscription.updated. */
  failPayment(subscriptionId: string): FakeEvent[];
  /** The overdue invoice is paid: active again; returns invoice.paid and customer.subscription.updated. */
  payInvoice(subscriptionId: string): FakeEvent[];
  /** An event of any type about `object` (a snapshot of it, as Stripe sends). */
  event(type: string, object: Json, previousAttributes?: Json): FakeEvent;
  /** The payload and Stripe-Signature header for an event, signed at `timestamp` (seconds). */
  sign(
    event: FakeEvent,
    options?: { timestamp?: number; secret?: string },
  ): {
    payload: string;
    signature: string;
  };
  /**
   * The next `count` API requests are carried out, then their connections are cut before the
   * answer, as when a response is lost on the network (the SDK retries with the same key).
   */
  loseResponses(count: number): void;
  /** Signs and POSTs an event to webhookUrl (or `url`), like Stripe's delivery. */
  deliver(event: FakeEvent, options?: { timestamp?: number; url?: string }): Promise<Response>;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const MONTH_SECONDS = 30 * 24 * 60 * 60;

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const missing = (what: string, value: string, param: string) =>
  new StripeApiError(
    400,
    "invalid_request_error",
    `No such ${what}: '${value}'`,
    "resource_missing",
    param,
  );

const required = (param: string) =>
  new StripeApiError(
    400,
    "invalid_request_error",
    `Missing required param: ${param}.`,
    "parameter_missing",
    param,
  );

/** Decodes Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
export function decodeStripeForm(body: string): Json {
  const root: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.split(/\[|\]\[|\]/).filter((part, i) => i === 0 || part !== "");
    let node: Json | unknown[] = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = value;
        return;
      }
      if (container[key] === undefined) container[key] = /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = container[key] as Json | unknown[];
    });
  }
  return root;
}

function str(params: Json, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function record(params: Json, key: string): Record<string, string> {
  const value = params[key];
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, string>)
    : {};
}

/** Starts the fake on a free local port (or `port`). */
export async function startFakeStripe(
  options: {
    secretKey?: string;
    webhookSecret?: string;
    port?: number;
    webhookUrl?: string;
    /** Price id -> monthly amount in cents; default the Pro and Team prices above. */
    prices?: Record<string, number>;
  } = {},
): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? FAKE_STRIPE_KEY;
  const webhookSecret = options.webhookSecret ?? FAKE_STRIPE_WEBHOOK_SECRET;
  const priceAmounts = options.prices ?? { [FAKE_PRICE_PRO]: 4900, [FAKE_PRICE_TEAM]: 19900 };
  const prices = new Map<string, FakeObject>(
    Object.entries(priceAmounts).map(([priceId, amount]) => [
      priceId,
      {
        id: priceId,
        object: "price",
        active: true,
        currency: "usd",
        unit_amount: amount,
        type: "recurring",
        recurring: { interval: "month", interval_count: 1, usage_type: "licensed" },
        product: `prod_${priceId.replace(/^price_/, "")}`,
        livemode: false,
      },
    ]),
  );
  const customers = new Map<string, FakeObject>();
  const subscriptions = new Map<string, FakeObject>();
  const checkoutSessions = new Map<string, FakeObject>();
  const portalSessions = new Map<string, FakeObject>();
  const invoices = new Map<string, FakeObject>();
  const meterEvents: FakeMeterEvent[] = [];
  const meterIdentifiers = new Set<string>();
  const idempotent = new Map<string, { fingerprint: string; status: number; body: Json }>();
  const requests: FakeStripeRequest[] = [];
  let baseUrl = "";
  let responsesToLose = 0;

  const snapshot = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  function makeEvent(type: string, object: Json, previousAttributes?: Json): FakeEvent {
    return {
      id: id("evt"),
      object: "event",
      type,
      created: nowSeconds(),
      api_version: Stripe.API_VERSION,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: snapshot(object),
        ...(previousAttributes ? { previous_attributes: previousAttributes } : {}),
      },
    };
  }

  function subscription(subId: string): FakeObject {
    const sub = subscriptions.get(subId);
    if (!sub) throw new Error(`fake Stripe: no subscription ${subId}`);
    return sub;
  }

  function items(sub: FakeObject): Json[] {
    return (sub.items as { data: Json[] }).data;
  }

  function makeInvoice(sub: FakeObject, status: "paid" | "open"): FakeObject {
    const amount = Number((items(sub)[0]?.price as Json | undefined)?.unit_amount ?? 0);
    const invoice: FakeObject = {
      id: id("in"),
      object: "invoice",
      customer: sub.customer,
      status,
      currency: "usd",
      amount_due: amount,
      amount_paid: status === "paid" ? amount : 0,
      amount_remaining: status === "paid" ? 0 : amount,
      attempted: true,
      created: nowSeconds(),
      livemode: false,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: sub.metadata },
      },
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  function setStatus(sub: FakeObject, status: string): Json {
    const previous = { status: sub.status };
    sub.status = status;
    if (status === "canceled") {
      sub.canceled_at = nowSeconds();
      sub.ended_at = nowSeconds();
    }
    return previous;
  }

  const fake: FakeStripe = {
    url: "",
    host: "127.0.0.1",
    port: 0,
    protocol: "http",
    secretKey,
    webhookSecret,
    env: {},
    requests,
    customers,
    subscriptions,
    checkoutSessions,
    meterEvents,
    webhookUrl: options.webhookUrl,

    completeCheckout(sessionId) {
      const session = checkoutSessions.get(sessionId);
      if (!session) throw new Error(`fake Stripe: no checkout session ${sessionId}`);
      if (session.status !== "open")
        throw new Error(`fake Stripe: session ${sessionId} is not open`);
      const lineItems = session.line_items as { price: string; quantity: number }[];
      const start = nowSeconds();
      const sub: FakeObject = {
        id: id("sub"),
        object: "subscription",
        customer: session.customer,
        status: "active",
        created: start,
        start_date: start,
        billing_cycle_anchor: start,
        cancel_at_period_end: false,
        canceled_at: null,
        ended_at: null,
        collection_method: "charge_automatically",
        currency: "usd",
        livemode: false,
        latest_invoice: null,
        metadata: session.subscription_metadata ?? {},
        items: {
          object: "list",
          has_more: false,
          url: "/v1/subscription_items",
          data: lineItems.map((line) => ({
            id: id("si"),
            object: "subscription_item",
            price: prices.get(line.price),
            quantity: line.quantity,
            created: start,
            current_period_start: start,
            current_period_end: start + MONTH_SECONDS,
            metadata: {},
          })),
        },
      };
      for (const item of items(sub)) item.subscription = sub.id;
      subscriptions.set(sub.id, sub);
      const invoice = makeInvoice(sub, "paid");
      session.status = "complete";
      session.payment_status = "paid";
      session.subscription = sub.id;
      session.url = null;
      return [
        makeEvent("customer.subscription.created", sub),
        makeEvent("invoice.paid", invoice),
        makeEvent("checkout.session.completed", session),
      ];
    },

    updateSubscription(subId, changes) {
      const sub = subscription(subId);
      const previous: Json = {};
      if (changes.status) Object.assign(previous, setStatus(sub, changes.status));
      if (changes.price) {
        const price = prices.get(changes.price);
        if (!price) throw new Error(`fake Stripe: no price ${changes.price}`);
        previous.items = snapshot(sub.items);
        for (const item of items(sub)) item.price = price;
      }
      return makeEvent("customer.subscription.updated", sub, previous);
    },

    cancelSubscription(subId) {
      const sub = subscription(subId);
      setStatus(sub, "canceled");
      return makeEvent("customer.subscription.deleted", sub);
    },

    failPayment(subId) {
      const sub = subscription(subId);
      const invoice = makeInvoice(sub, "open");
      const previous = setStatus(sub, "past_due");
      return [
        makeEvent("invoice.payment_failed", invoice),
        makeEvent("customer.subscription.updated", sub, previous),
      ];
    },

    payInvoice(subId) {
      const sub = subscription(subId);
      const invoice = makeInvoice(sub, "paid");
      const previous = setStatus(sub, "active");
      return [
        makeEvent("invoice.paid", invoice),
        makeEvent("customer.subscription.updated", sub, previous),
      ];
    },

    event: makeEvent,

    loseResponses(count) {
      responsesToLose = count;
    },

    sign(event, signOptions = {}) {
      const payload = JSON.stringify(event, null, 2);
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: signOptions.secret ?? webhookSecret,
        timestamp: signOptions.timestamp ?? nowSeconds(),
      });
      return { payload, signature };
    },

    async deliver(event, deliverOptions = {}) {
      const target = deliverOptions.url ?? fake.webhookUrl;
      if (!target) throw new Error("fake Stripe: no webhook URL to deliver to");
      const { payload, signature } = fake.sign(event, { timestamp: deliverOptions.timestamp });
      return fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
      });
    },

    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };

  // ─── the API ─────────────────────────────────────────────────────────────────

  function createCustomer(params: Json): FakeObject {
    const customer: FakeObject = {
      id: id("cus"),
      object: "customer",
      name: str(params, "name") ?? null,
      email: str(params, "email") ?? null,
      metadata: record(params, "metadata"),
      created: nowSeconds(),
      livemode: false,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function createCheckoutSession(params: Json): FakeObject {
    const mode = str(params, "mode");
    if (!mode) throw required("mode");
    if (mode !== "subscription") {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "This fake only supports mode=subscription.",
      );
    }
    const successUrl = str(params, "success_url");
    if (!successUrl) throw required("success_url");
    const customer = str(params, "customer");
    if (customer && !customers.has(customer)) throw missing("customer", customer, "customer");
    const rawItems = params.line_items;
    if (!Array.isArray(rawItems) || rawItems.length === 0) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "`line_items` is required in `subscription` mode.",
        "parameter_missing",
        "line_items",
      );
    }
    const lineItems = (rawItems as Json[]).map((item, i) => {
      const price = str(item, "price");
      if (!price) throw required(`line_items[${i}][price]`);
      if (!prices.has(price)) throw missing("price", price, `line_items[${i}][price]`);
      return { price, quantity: Number(str(item, "quantity") ?? "1") };
    });
    const sessionId = `cs_test_${randomBytes(24).toString("hex")}`;
    const session: FakeObject = {
      id: sessionId,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: "unpaid",
      customer: customer ?? createCustomer({}).id,
      client_reference_id: str(params, "client_reference_id") ?? null,
      success_url: successUrl,
      cancel_url: str(params, "cancel_url") ?? null,
      metadata: record(params, "metadata"),
      subscription: null,
      url: `${baseUrl}/c/pay/${sessionId}`,
      created: nowSeconds(),
      expires_at: nowSeconds() + 24 * 60 * 60,
      livemode: false,
    };
    // Kept for completeCheckout; not part of the API object.
    Object.defineProperty(session, "line_items", { value: lineItems, enumerable: false });
    Object.defineProperty(session, "subscription_metadata", {
      value: record(record(params, "subscription_data") as Json, "metadata"),
      enumerable: false,
    });
    checkoutSessions.set(sessionId, session);
    return session;
  }

  /** A required parameter naming an existing customer. */
  function customerParam(value: string | undefined, param: string): string {
    if (!value) throw required(param);
    if (!customers.has(value)) throw missing("customer", value, param);
    return value;
  }

  function createPortalSession(params: Json): FakeObject {
    const customer = customerParam(str(params, "customer"), "customer");
    const sessionId = id("bps");
    const session: FakeObject = {
      id: sessionId,
      object: "billing_portal.session",
      customer,
      return_url: str(params, "return_url") ?? null,
      url: `${baseUrl}/p/session/${sessionId}`,
      created: nowSeconds(),
      livemode: false,
    };
    portalSessions.set(sessionId, session);
    return session;
  }

  function createMeterEvent(params: Json): Json {
    const eventName = str(params, "event_name");
    if (!eventName) throw required("event_name");
    const payload = record(params, "payload");
    customerParam(payload.stripe_customer_id, "payload[stripe_customer_id]");
    if (payload.value === undefined || Number.isNaN(Number(payload.value))) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "payload[value] must be a number.",
        "parameter_invalid",
        "payload[value]",
      );
    }
    const identifier = str(params, "identifier") ?? id("mev");
    if (meterIdentifiers.has(identifier)) {
      // Stripe enforces identifier uniqueness (over at least 24 hours).
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `A meter event with identifier '${identifier}' already exists.`,
        "resource_already_exists",
        "identifier",
      );
    }
    meterIdentifiers.add(identifier);
    const timestamp = Number(str(params, "timestamp") ?? nowSeconds());
    const event: FakeMeterEvent = { event_name: eventName, identifier, timestamp, payload };
    meterEvents.push(event);
    return { object: "billing.meter_event", created: nowSeconds(), livemode: false, ...event };
  }

  const creators: Record<string, (params: Json) => Json> = {
    "/v1/customers": createCustomer,
    "/v1/checkout/sessions": createCheckoutSession,
    "/v1/billing_portal/sessions": createPortalSession,
    "/v1/billing/meter_events": createMeterEvent,
  };
  // Retrievable collections: path prefix -> the objects and their name in "No such ..." errors.
  const collections: [string, Map<string, FakeObject>, string][] = [
    ["/v1/customers/", customers, "customer"],
    ["/v1/checkout/sessions/", checkoutSessions, "checkout.session"],
    ["/v1/subscriptions/", subscriptions, "subscription"],
  ];

  function route(method: string, path: string, params: Json): Json {
    const create = creators[path];
    if (method === "POST" && create) return create(params);
    for (const [prefix, objects, name] of collections) {
      const objectId = path.slice(prefix.length);
      if (method !== "GET" || !path.startsWith(prefix) || objectId.includes("/")) continue;
      const found = objects.get(objectId);
      if (found) return found;
      throw new StripeApiError(
        404,
        "invalid_request_error",
        `No such ${name}: '${objectId}'`,
        "resource_missing",
        "id",
      );
    }
    throw new StripeApiError(
      404,
      "invalid_request_error",
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    );
  }

  function sendJson(
    res: ServerResponse,
    status: number,
    body: Json,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": id("req"),
      "stripe-version": Stripe.API_VERSION,
      ...headers,
    });
    res.end(JSON.stringify(body, null, 2));
  }

  function sendHtml(res: ServerResponse, status: number, title: string, body: string) {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
    );
  }

  const escapeHtml = (text: string) =>
    text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

  async function browserPage(req: IncomingMessage, res: ServerResponse, path: string) {
    let match = path.match(/^\/c\/pay\/([^/]+)$/);
    if (match) {
      const session = checkoutSessions.get(match[1]!);
      if (!session) return sendHtml(res, 404, "Checkout session not found", "");
      if (req.method === "POST") {
        if (session.status === "open") {
          const events = fake.completeCheckout(session.id);
          // Stripe notifies the endpoint around the redirect; here before it, so a test is not racing it.
          if (fake.webhookUrl) for (const event of events) await fake.deliver(event);
        }
        res.writeHead(303, {
          location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id),
        });
        return res.end();
      }
      const lines = (session.line_items as { price: string }[])
        .map((line) => {
          const price = prices.get(line.price)!;
          return `<li>${escapeHtml(line.price)}: $${(Number(price.unit_amount) / 100).toFixed(2)} a month</li>`;
        })
        .join("");
      return sendHtml(
        res,
        200,
        "Fake Stripe Checkout",
        `<ul>${lines}</ul><form method="post"><button type="submit">Subscribe</button></form>` +
          (session.cancel_url
            ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel</a></p>`
            : ""),
      );
    }
    match = path.match(/^\/p\/session\/([^/]+)$/);
    if (match) {
      const session = portalSessions.get(match[1]!);
      if (!session) return sendHtml(res, 404, "Portal session not found", "");
      return sendHtml(
        res,
        200,
        "Fake Stripe customer portal",
        `<p>Customer ${escapeHtml(String(session.customer))}</p>` +
          (session.return_url
            ? `<p><a href="${escapeHtml(String(session.return_url))}">Return</a></p>`
            : ""),
      );
    }
    return sendHtml(res, 404, "Not found", "");
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://fake");
        if (!url.pathname.startsWith("/v1/")) return browserPage(req, res, url.pathname);
        const raw = Buffer.concat(chunks).toString("utf8");
        const method = req.method ?? "GET";
        const params = decodeStripeForm(method === "GET" ? url.search.slice(1) : raw);
        requests.push({ method, path: url.pathname, headers: req.headers, params });
        try {
          const auth = req.headers.authorization;
          if (!auth?.startsWith("Bearer ")) {
            throw new StripeApiError(
              401,
              "invalid_request_error",
              "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            );
          }
          const key = auth.slice("Bearer ".length);
          if (key !== secretKey) {
            throw new StripeApiError(
              401,
              "invalid_request_error",
              `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
              "api_key_invalid",
            );
          }
          if (
            method === "POST" &&
            !req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")
          ) {
            throw new StripeApiError(
              400,
              "invalid_request_error",
              "Invalid request: expected a form-encoded body.",
            );
          }
          const idempotencyKey = method === "POST" ? req.headers["idempotency-key"] : undefined;
          const fingerprint = createHash("sha256").update(`${url.pathname}\n${raw}`).digest("hex");
          if (typeof idempotencyKey === "string") {
            const earlier = idempotent.get(idempotencyKey);
            if (earlier) {
              if (earlier.fingerprint !== fingerprint) {
                throw new StripeApiError(
                  400,
                  "idempotency_error",
                  `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
                );
              }
              return sendJson(res, earlier.status, earlier.body, {
                "idempotent-replayed": "true",
                "idempotency-key": idempotencyKey,
              });
            }
          }
          const body = route(method, url.pathname, params);
          if (typeof idempotencyKey === "string") {
            idempotent.set(idempotencyKey, { fingerprint, status: 200, body: snapshot(body) });
          }
          if (responsesToLose > 0) {
            responsesToLose--;
            res.socket?.destroy();
            return;
          }
          return sendJson(res, 200, body);
        } catch (thrown) {
          if (!(thrown instanceof StripeApiError)) throw thrown;
          return sendJson(res, thrown.status, {
            error: {
              type: thrown.type,
              message: thrown.message,
              ...(thrown.code ? { code: thrown.code } : {}),
              ...(thrown.param ? { param: thrown.param } : {}),
              request_log_url: `https://dashboard.stripe.com/test/logs/${id("req")}`,
            },
          });
        }
      })().catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  fake.url = baseUrl;
  fake.port = port;
  fake.env = {
    STRIPE_SECRET_KEY: secretKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_PRICE_PRO: FAKE_PRICE_PRO,
    STRIPE_PRICE_TEAM: FAKE_PRICE_TEAM,
    STRIPE_METER_EVENT: FAKE_METER_EVENT,
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String(port),
    STRIPE_API_PROTOCOL: "http",
  };
  return fake;
}
