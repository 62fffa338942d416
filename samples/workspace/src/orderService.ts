// Application code that names CIM subjects in string literals: the extension checks, completes and explains them.
// Hover a subject to see its tokens and the stream that stores it; the last two break the algebra on purpose.

export type Publish = (subject: string, payload: string, msgId: string) => Promise<void>;

const ENV = 'dev';

export const ORDER_EVENTS = 'dev.domain.sales.order.>';
export const ALL_SALES_EVENTS_EVERY_ENV = '*.domain.sales.>';
export const UPDATE_PRODUCT = 'dev.command.inventory.product.update';
export const ORDER_SUMMARY = 'dev.projection.order-summary.update';
export const PAYMENT_PROCESSED = 'dev.saga.order-fulfillment.payment-processed';

// Breaks the algebra: names are lowercase kebab-case ("order", not "Order").
export const WRONG_CASE = 'dev.domain.sales.Order.created.550e8400-e29b-41d4-a716-446655440000';
// The older form without the category token, as CIM-Start's own docs write it: "domain." is missing.
export const LEGACY_FORM = 'dev.sales.order.shipped.550e8400-e29b-41d4-a716-446655440001';

export async function placeOrder(publish: Publish, orderId: string, totalAmount: number): Promise<string> {
  const eventId = crypto.randomUUID();
  const subject = `${ENV}.domain.sales.order.placed.${eventId}`;
  const envelope = {
    event_id: eventId,
    event_type: 'OrderPlaced',
    aggregate_type: 'Order',
    aggregate_id: orderId,
    domain: 'sales',
    timestamp: new Date().toISOString(),
    version: 1,
    data: { order_id: orderId, total_amount: totalAmount },
    metadata: { correlation_id: eventId, causation_id: eventId, source: 'order-service' },
  };
  // The event id doubles as Nats-Msg-Id, so a retried publish is dropped as a duplicate.
  await publish(subject, JSON.stringify(envelope), eventId);
  return eventId;
}
