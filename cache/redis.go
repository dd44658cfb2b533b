package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store in a Redis server, so that several processes on
// several machines share one cache.
//
// Each bucket is one key holding its entries as JSON; each body is a key of
// its own. An entry lives for its Entry.Useful (its freshness lifetime,
// its stale-while-revalidate and stale-if-error windows and the cache's
// validation grace): its body key expires then, and the bucket key expires
// with its longest-lived entry (entries past their time are left out
// before that). Updates of a bucket are optimistic transactions
// (WATCH/MULTI/EXEC, retried when another writer got there first), so
// racing writers never lose each other's entries nor leave a bucket naming
// a deleted body. A body no entry names any more expires a few minutes
// later (responses already served from it open it on their first read). A body larger than the per-entry limit is not stored.
// Bodies are held in memory while they are written and read (they are
// bounded by that limit).
type Redis struct {
	client   redis.UniversalClient
	prefix   string
	maxEntry int64
}

// DefaultRedisMaxEntryBytes is a Redis store's default per-entry body
// limit: 8 MiB.
const DefaultRedisMaxEntryBytes = 8 << 20

// RedisOption configures a Redis store.
type RedisOption func(*Redis)

// WithRedisPrefix sets the prefix of the store's keys (default
// "wfetch:cache:"), so several caches can share one server.
func WithRedisPrefix(prefix string) RedisOption {
	return func(r *Redis) { r.prefix = prefix }
}

// WithRedisMaxEntryBytes sets the largest body stored (default
// DefaultRedisMaxEntryBytes). n <= 0 keeps the default.
func WithRedisMaxEntryBytes(n int64) RedisOption {
	return func(r *Redis) {
		if n > 0 {
			r.maxEntry = n
		}
	}
}

// NewRedis returns a Store that keeps entries in the Redis server client
// talks to (for example redis.NewClient(&redis.Options{Addr: addr})). The
// client stays the caller's to close.
func NewRedis(client redis.UniversalClient, opts ...RedisOption) *Redis {
	r := &Redis{client: client, prefix: "wfetch:cache:", maxEntry: DefaultRedisMaxEntryBytes}
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	return r
}

// redisEntry is an entry with the time (Unix milliseconds, by the
// writer's clock) after which it is dropped.
type redisEntry struct {
	E     *Entry `json:"e"`
	Until int64  `json:"until"`
}

func (r *Redis) bucketKey(bucket string) string { return r.prefix + "b:" + hashName(bucket) }
func (r *Redis) bodyKey(name string) string     { return r.prefix + "d:" + name }

// decode reads a bucket value; damaged values hold nothing.
func decodeRedisBucket(data []byte) []redisEntry {
	var ents []redisEntry
	if json.Unmarshal(data, &ents) != nil {
		return nil
	}
	return slices.DeleteFunc(ents, func(re redisEntry) bool { return re.E == nil })
}

// Get implements Store.
func (r *Redis) Get(ctx context.Context, bucket string) ([]*Entry, error) {
	data, err := r.client.Get(ctx, r.bucketKey(bucket)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := time.Now().UnixMilli()
	var out []*Entry
	for _, re := range decodeRedisBucket(data) {
		if re.Until > now {
			out = append(out, re.E)
		}
	}
	return out, nil
}

// maxTxRetries bounds the retries of an update that keeps losing races.
const maxTxRetries = 50

// Update implements Store as an optimistic transaction on the bucket key.
func (r *Redis) Update(ctx context.Context, bucket string, update func([]*Entry) []*Entry) error {
	key := r.bucketKey(bucket)
	txf := func(tx *redis.Tx) error {
		data, err := tx.Get(ctx, key).Bytes()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		now := time.Now()
		nowMs := now.UnixMilli()
		var old []*Entry
		until := map[string]int64{} // entry ID → its time
		var oldAll []redisEntry
		for _, re := range decodeRedisBucket(data) {
			oldAll = append(oldAll, re)
			if re.Until > nowMs {
				old = append(old, re.E)
				until[re.E.ID] = re.Until
			}
		}
		next := update(old)
		var stored []redisEntry
		var fresh []redisEntry // entries new to the bucket
		last := int64(0)
		for _, e := range next {
			u, ok := until[e.ID]
			if !ok {
				u = now.Add(max(e.Useful, time.Second)).UnixMilli()
				fresh = append(fresh, redisEntry{e, u})
			}
			stored = append(stored, redisEntry{e, u})
			last = max(last, u)
		}
		var payload []byte
		if len(stored) > 0 {
			if payload, err = json.Marshal(stored); err != nil {
				return err
			}
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			if len(stored) == 0 {
				p.Del(ctx, key)
			} else {
				p.Set(ctx, key, payload, 0)
				p.PExpireAt(ctx, key, time.UnixMilli(last))
			}
			for _, re := range fresh {
				if re.E.Body != "" {
					p.PExpireAt(ctx, r.bodyKey(re.E.Body), time.UnixMilli(re.Until))
				}
			}
			// Bodies no remaining entry names (expired entries included)
			// expire after a grace, for the responses being read from them.
			for _, o := range oldAll {
				if o.E.Body != "" && !slices.ContainsFunc(next, func(n *Entry) bool { return n.Body == o.E.Body }) {
					p.PExpire(ctx, r.bodyKey(o.E.Body), bodyGrace)
				}
			}
			return nil
		})
		return err
	}
	for range maxTxRetries {
		err := r.client.Watch(ctx, txf, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
	}
	return redis.TxFailedErr
}

// uncommittedTTL is how long a committed body lives before an Update
// gives it its entry's time (a body no entry comes to name expires then).
const uncommittedTTL = 10 * time.Minute

// NewBody implements Store: the body is buffered up to the per-entry
// limit and written by Commit.
func (r *Redis) NewBody(ctx context.Context) (BodyWriter, error) {
	return &redisWriter{r: r, ctx: ctx}, nil
}

type redisWriter struct {
	r   *Redis
	ctx context.Context
	buf bytes.Buffer
	err error
}

func (w *redisWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if int64(w.buf.Len()+len(p)) > w.r.maxEntry {
		w.err = ErrTooLarge
		w.buf = bytes.Buffer{}
		return 0, w.err
	}
	return w.buf.Write(p)
}

func (w *redisWriter) Commit() (string, error) {
	if w.err != nil {
		return "", w.err
	}
	id := newID()
	err := w.r.client.Set(w.ctx, w.r.bodyKey(id), w.buf.Bytes(), uncommittedTTL).Err()
	w.err, w.buf = ErrTooLarge, bytes.Buffer{} // one commit
	if err != nil {
		return "", err
	}
	return id, nil
}

func (w *redisWriter) Abort() { w.err, w.buf = ErrTooLarge, bytes.Buffer{} }

// OpenBody implements Store.
func (r *Redis) OpenBody(ctx context.Context, e *Entry) (Body, error) {
	data, err := r.client.Get(ctx, r.bodyKey(e.Body)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNoBody
	}
	if err != nil {
		return nil, err
	}
	return memBody{bytes.NewReader(data)}, nil
}

// DeleteBody implements Store.
func (r *Redis) DeleteBody(ctx context.Context, name string) error {
	return r.client.Del(ctx, r.bodyKey(name)).Err()
}
