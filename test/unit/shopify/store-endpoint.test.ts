import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { resolveStore } from '../../../src/shopify/store-endpoint.js';

const shop = (display: string) => ({ origin: `https://${display}`, display, loopback: false });
const local = (origin: string, display: string) => ({ origin, display, loopback: true });

describe('resolveStore accepts', () => {
  it.each([
    ['my-shop', shop('my-shop.myshopify.com')],
    ['  shop1  ', shop('shop1.myshopify.com')],
    ['Shop', shop('shop.myshopify.com')],
    ['shop.myshopify.com', shop('shop.myshopify.com')],
    ['SHOP.MyShopify.com', shop('shop.myshopify.com')],
    ['shop.myshopify.com/admin', shop('shop.myshopify.com')],
    ['https://shop.myshopify.com', shop('shop.myshopify.com')],
    ['https://shop.myshopify.com/', shop('shop.myshopify.com')],
    ['https://shop.myshopify.com/admin/orders?x=1#y', shop('shop.myshopify.com')],
    ['https://shop.myshopify.com:443', shop('shop.myshopify.com')],
    ['https://shop.myshopify.com.', shop('shop.myshopify.com')],
    ['http://127.0.0.1:8787', local('http://127.0.0.1:8787', '127.0.0.1:8787')],
    ['http://127.0.0.1:8787/admin/api', local('http://127.0.0.1:8787', '127.0.0.1:8787')],
    ['https://127.0.0.1:8443', local('https://127.0.0.1:8443', '127.0.0.1:8443')],
    ['http://127.1.2.3:9000', local('http://127.1.2.3:9000', '127.1.2.3:9000')],
    ['http://localhost:8787', local('http://localhost:8787', 'localhost:8787')],
    ['http://[::1]:8787', local('http://[::1]:8787', '[::1]:8787')],
  ])('%j', (input, expected) => {
    expect(resolveStore(input)).toEqual(expected);
  });
});

describe('resolveStore refuses', () => {
  it.each([
    ['', /empty/],
    ['http://example.com', /plain http.*unencrypted/],
    ['https://example.com', /not a myshopify\.com domain/],
    ['http://shop.myshopify.com', /unencrypted.*Use https:\/\/shop\.myshopify\.com/],
    ['http://10.0.0.1', /unencrypted/],
    ['http://10.0.0.1:8787', /unencrypted/],
    ['https://10.0.0.1', /not a myshopify\.com domain/],
    ['shop.myshopfy.com', /did you mean shop\.myshopify\.com\?/],
    ['https://shop.myshopify.co', /did you mean shop\.myshopify\.com\?/],
    ['shop.shopify.com', /did you mean shop\.myshopify\.com\?/],
    ['shop.myshopify.cm', /did you mean shop\.myshopify\.com\?/],
    ['shop.myshopify', /did you mean shop\.myshopify\.com\?/],
    ['https://shop.mysh0pify.com', /did you mean shop\.myshopify\.com\?/],
    ['http://shop.myshopfy.com', /unencrypted.*Use https:\/\/shop\.myshopify\.com\./],
    ['https://shop.myshopify.com.au', /not a myshopify\.com domain; the access token is only sent to Shopify/],
    ['https://localhost.example.com', /not a myshopify\.com domain/],
    ['http://127.0.0.1.nip.io:8787', /unencrypted/],
    ['https://admin.shopify.com/store/my-shop/orders', /did you mean my-shop\.myshopify\.com\?/],
    ['https://shop.myshopify.com.evil.com', /not a myshopify\.com domain/],
    ['https://shop.example', /not a myshopify\.com domain/],
    ['https://user:pw@x.myshopify.com', /user name or password/],
    ['user:pw@x.myshopify.com', /user name or password/],
    ['https://shop.myshopify.com:8443', /port 8443/],
    ['shop.myshopify.com:8080', /port 8080/],
    ['my_shop', /not a valid shop handle/],
    ['-shop', /not a valid shop handle/],
    ['my shop', /not a valid shop handle/],
    ['https://my_shop.myshopify.com', /not a valid shop handle/],
    ['https://a.b.myshopify.com', /single name/],
    ['https://xn--shp-sna.myshopify.com', /not a valid shop handle/],
    ['ftp://shop.myshopify.com', /ftp/],
    ['127.0.0.1:8787', /add the scheme, e\.g\. http:\/\/127\.0\.0\.1:8787/],
    ['http://[::2]:8787', /unencrypted/],
    ['https://', /not a valid domain or URL/],
  ])('%j', (input, message) => {
    expect(() => resolveStore(input)).toThrow(UsageError);
    expect(() => resolveStore(input)).toThrow(message);
  });

  it('says what is accepted, in the hint', () => {
    const error = catchUsage('http://example.com');
    expect(error.hint).toMatch(/my-shop\.myshopify\.com.*http:\/\/127\.0\.0\.1:8787/);
  });

  it('never echoes a password from the input', () => {
    for (const input of ['https://user:s3cret@x.myshopify.com', 'user:s3cret@x.myshopify.com', 'https://:s3cret@example.com']) {
      const error = catchUsage(input);
      expect(`${error.message} ${error.hint}`).not.toContain('s3cret');
    }
  });
});

function catchUsage(input: string): UsageError {
  try {
    resolveStore(input);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${input} was accepted`);
}
