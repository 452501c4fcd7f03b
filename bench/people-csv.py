#!/usr/bin/env python3
# Writes a people CSV of 1,000,000 rows (UTF-8 with BOM, Persian headers as customers bring them) to /tmp/imp1m/people.csv:
# about 89 MB. Used by bench/import-upload.sh.
import random
random.seed(42)
first=['علی','محمد','رضا','حسین','مهدی','سارا','مریم','زهرا','فاطمه','نرگس','امیر','یگانه','پریسا','کیان','آرش']
last=['احمدی','رضایی','کریمی','حسینی','محمدی','موسوی','جعفری','کاظمی','رحیمی','صادقی','نوری','یزدانی']
cities=['تهران','شیراز','اصفهان','مشهد','تبریز','کرج','رشت']
tags=['وی‌آی‌پی','خرید حضوری','نمایشگاه','باشگاه']
def code(n):
    body=f"{n:09d}"
    s=sum(int(body[i])*(10-i) for i in range(9)); r=s%11
    return body+str(r if r<2 else 11-r)
with open('/tmp/imp1m/people.csv','w',encoding='utf-8-sig',newline='') as f:
    f.write('نام,نام خانوادگی,موبايل,ایمیل,کد ملی,تاریخ تولد,شهر,برچسب\r\n')
    for i in range(1_000_000):
        m=f"09{random.choice([12,13,19,35,36,37,38,39]):02d}{i:07d}"
        email=f"user{i}@example.com" if i%3==0 else ''
        nc=code(100000000+i) if i%2==0 else ''
        bd=f"13{random.randint(40,80)}/{random.randint(1,12):02d}/{random.randint(1,29):02d}" if i%4 else ''
        f.write(f"{random.choice(first)},{random.choice(last)} {i%997},{m},{email},{nc},{bd},{random.choice(cities)},\"{random.choice(tags)}\"\r\n")
